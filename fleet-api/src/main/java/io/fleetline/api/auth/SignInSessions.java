package io.fleetline.api.auth;

import io.fleetline.api.console.ConsoleProperties;
import java.util.Set;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.session.web.http.CookieSerializer;

/**
 * The console's sign-in sessions live in PostgreSQL ({@code console_sessions}, through Spring
 * Session's JDBC store), so that a browser sent to any fleet-api instance continues the sign-in
 * another one began: the form's CSRF token, the authorization request waiting for the password, and
 * who signed in. Only the paths of signing in look a session up.
 */
@Configuration(proxyBeanMethods = false)
class SignInSessions {

  @Bean
  CookieSerializer signInSessionCookie(
      ServerProperties server, AuthorizationServerSettings authorizationServer) {
    return new SignInSessionCookie(
        server.getServlet().getSession().getCookie(),
        Set.of(
            authorizationServer.getAuthorizationEndpoint(),
            ConsoleProperties.LOGIN_PATH,
            ConsoleProperties.LOGOUT_PATH));
  }
}
