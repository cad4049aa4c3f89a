package io.fleetline.api.auth;

import io.fleetline.api.console.ConsoleProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signs a person out of the console: the sign-in of the given refresh token ends (its refresh token
 * is refused from now on; its access token expires within its short lifetime), and so does the
 * browser's sign-in session, so that the next sign-in asks for the password again. Always answers
 * 204, whether or not the token was known.
 */
@RestController
class ConsoleLogout {

  private static final int MAX_TOKEN_LENGTH = 1000;

  private final OAuth2AuthorizationService authorizations;
  private final ConsoleClient console;

  ConsoleLogout(OAuth2AuthorizationService authorizations, ConsoleClient console) {
    this.authorizations = authorizations;
    this.console = console;
  }

  @PostMapping(ConsoleProperties.LOGOUT_PATH)
  ResponseEntity<Void> logout(
      @RequestParam(name = "refresh_token", required = false) String refreshToken,
      HttpServletRequest request,
      HttpServletResponse response) {
    if (refreshToken != null
        && !refreshToken.isEmpty()
        && refreshToken.length() <= MAX_TOKEN_LENGTH) {
      OAuth2Authorization authorization =
          authorizations.findByToken(refreshToken, OAuth2TokenType.REFRESH_TOKEN);
      if (authorization != null && console.isConsole(authorization.getRegisteredClientId())) {
        authorizations.remove(authorization);
      }
    }
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    SecurityContextHolder.clearContext();
    Cookie cleared = new Cookie("JSESSIONID", "");
    cleared.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
    cleared.setMaxAge(0);
    cleared.setHttpOnly(true);
    response.addCookie(cleared);
    return ResponseEntity.noContent().build();
  }
}
