package io.fleetline.api.auth;

import io.fleetline.api.console.ConsoleProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's sign-in form, rendered here as plain HTML: no script, its one style sheet allowed
 * by its hash. Its errors do not tell an unknown email from a wrong password or a disabled account.
 */
@Controller
class SignInPage {

  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;"
          + "justify-content:center;align-items:center;min-height:100vh}"
          + "main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;"
          + "width:20rem}h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0}"
          + "input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.3rem;"
          + "font-size:1rem}button{width:100%;padding:.6rem;font-size:1rem;margin-top:.5rem;"
          + "background:#1f5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}"
          + ".error{color:#a40000;background:#fdecea;padding:.6rem;border-radius:4px}";

  private final boolean embedded;
  private final String policy;

  SignInPage(ConsoleProperties console, AuthProperties auth) {
    this.embedded = !auth.externalIssuer();
    Set<String> formTargets = new LinkedHashSet<>();
    formTargets.add("'self'");
    for (String uri : console.redirectUris(auth.issuer())) {
      URI parsed = URI.create(uri);
      if (parsed.getScheme() != null && parsed.getRawAuthority() != null) {
        formTargets.add(parsed.getScheme() + "://" + parsed.getRawAuthority());
      }
    }
    // A form's redirects (to the authorization endpoint, then to the console) obey form-action.
    this.policy =
        "default-src 'none'; style-src '"
            + sha256(STYLE)
            + "'; form-action "
            + String.join(" ", formTargets)
            + "; frame-ancestors 'none'; base-uri 'none'";
  }

  @GetMapping(ConsoleProperties.LOGIN_PATH)
  void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!embedded) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    render(request, response, HttpServletResponse.SC_OK, null);
  }

  /**
   * The form's answer to a refused sign-in: 401, 429 with Retry-After when limited, or 503 with
   * Retry-After when the limits cannot be counted.
   */
  void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof FleetUserSignIn.SignInUnavailable) {
      response.setHeader(
          HttpHeaders.RETRY_AFTER,
          Long.toString(NewSignInSessionLimitFilter.UNAVAILABLE_RETRY_AFTER_SECONDS));
      render(request, response, 503, "Signing in is not possible just now. Try again in a minute.");
    } else if (e instanceof FleetUserSignIn.SignInsLimited limited) {
      long seconds = limited.retryAfterSeconds();
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      long minutes = (seconds + 59) / 60;
      render(
          request,
          response,
          429,
          "Too many failed sign-ins. Try again in "
              + (seconds < 60 ? seconds + " seconds." : minutes + " minutes."));
    } else {
      render(request, response, 401, "Wrong email or password, or the account is disabled.");
    }
  }

  private void render(
      HttpServletRequest request, HttpServletResponse response, int status, String error)
      throws IOException {
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    StringBuilder html = new StringBuilder(2048);
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>Sign in · Fleetline</title><style>")
        .append(STYLE)
        .append("</style></head><body><main><h1>Sign in to Fleetline</h1>");
    if (error != null) {
      html.append("<p class=\"error\" role=\"alert\">")
          .append(HtmlUtils.htmlEscape(error))
          .append("</p>");
    }
    html.append("<form method=\"post\" action=\"login\">")
        .append("<label>Email<input type=\"email\" name=\"username\" autocomplete=\"username\"")
        .append(" maxlength=\"254\" required autofocus></label>")
        .append("<label>Password<input type=\"password\" name=\"password\"")
        .append(" autocomplete=\"current-password\" maxlength=\"128\" required></label>");
    if (csrf != null) {
      html.append("<input type=\"hidden\" name=\"")
          .append(HtmlUtils.htmlEscape(csrf.getParameterName()))
          .append("\" value=\"")
          .append(HtmlUtils.htmlEscape(csrf.getToken()))
          .append("\">");
    }
    html.append("<button type=\"submit\">Sign in</button></form></main></body></html>");
    byte[] body = html.toString().getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Content-Security-Policy", policy);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
