package io.fleetline.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.springframework.boot.web.server.Cookie;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * The cookie of the console's sign-in session, with the properties of {@code
 * server.servlet.session.cookie.*}, read only on the paths of signing in (the authorization
 * endpoint, the sign-in form, sign-out). Elsewhere the browser still sends it, as it is scoped to
 * the whole site, but no session is looked up: the API, the token endpoint and the console's files
 * never touch the session table, however often the console calls them.
 */
final class SignInSessionCookie implements CookieSerializer {

  private final DefaultCookieSerializer cookie;
  private final Set<String> signInPaths;

  SignInSessionCookie(Cookie settings, Set<String> signInPaths) {
    this.cookie = serializer(settings);
    this.signInPaths = Set.copyOf(signInPaths);
  }

  @Override
  public List<String> readCookieValues(HttpServletRequest request) {
    return signInPaths.contains(request.getServletPath())
        ? cookie.readCookieValues(request)
        : List.of();
  }

  @Override
  public void writeCookieValue(CookieValue value) {
    cookie.writeCookieValue(value);
  }

  private static DefaultCookieSerializer serializer(Cookie settings) {
    var serializer = new DefaultCookieSerializer();
    if (settings.getName() != null) {
      serializer.setCookieName(settings.getName());
    }
    if (settings.getDomain() != null) {
      serializer.setDomainName(settings.getDomain());
    }
    if (settings.getPath() != null) {
      serializer.setCookiePath(settings.getPath());
    }
    if (settings.getHttpOnly() != null) {
      serializer.setUseHttpOnlyCookie(settings.getHttpOnly());
    }
    // Unset: Secure whenever the request came over https (directly or by a trusted proxy).
    if (settings.getSecure() != null) {
      serializer.setUseSecureCookie(settings.getSecure());
    }
    if (settings.getMaxAge() != null) {
      serializer.setCookieMaxAge((int) settings.getMaxAge().toSeconds());
    }
    if (settings.getSameSite() != null) {
      serializer.setSameSite(settings.getSameSite().attributeValue());
    }
    if (settings.getPartitioned() != null) {
      serializer.setPartitioned(settings.getPartitioned());
    }
    return serializer;
  }
}
