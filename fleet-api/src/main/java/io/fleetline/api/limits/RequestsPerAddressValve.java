package io.fleetline.api.limits;

import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Caps the requests one source address has in progress, before any filter runs and so before any
 * body is read: a client that opens connections and sends its body slowly, or never, holds at most
 * this many of the server's threads. Beyond the cap the request is answered {@code 429} at once and
 * its connection closed without waiting for the body it announced; so is a body refused as too
 * large ({@code 413}). IPv6 addresses are counted by their /64, and an address that is not an IP
 * literal (as a proxy may forward it) is counted as written, never looked up.
 */
final class RequestsPerAddressValve extends ValveBase {

  private final int maxPerAddress;
  private final long retryAfterSeconds;
  private final ProblemResponses problems;
  private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

  RequestsPerAddressValve(ConnectionLimitProperties properties, ProblemResponses problems) {
    super(true);
    this.maxPerAddress = properties.maxRequestsPerAddress();
    this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
    this.problems = problems;
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    // Tomcat runs the engine's valves again when an asynchronous request (a live stream, when it
    // ends or times out) is dispatched back to the application. That request was admitted when it
    // arrived, and its answer is already under way: a 429 written now would end up inside the event
    // stream. So such a dispatch passes untouched.
    //
    // A live stream is counted only while its first dispatch runs: once the controller returns
    // with the stream started, the thread is free and the count released below, so open streams
    // never lock their address out of the API (streams have their own caps, per client and per
    // fleet, in fleetline.api.live.*).
    if (request.isAsyncDispatching() || request.getDispatcherType() == DispatcherType.ASYNC) {
      getNext().invoke(request, response);
      return;
    }
    String address = SourceAddresses.key(request.getRemoteAddr());
    if (inProgress.merge(address, 1, Integer::sum) > maxPerAddress) {
      release(address);
      refuse(request, response);
      return;
    }
    try {
      getNext().invoke(request, response);
      if (response.getStatus() == HttpStatus.CONTENT_TOO_LARGE.value()) {
        dontReadTheRestOfTheBody(request);
      }
    } finally {
      release(address);
    }
  }

  /** Requests of the address in progress now. */
  int inProgress(String address) {
    return inProgress.getOrDefault(SourceAddresses.key(address), 0);
  }

  private void release(String address) {
    inProgress.computeIfPresent(address, (k, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * Closes the connection after the answer instead of reading the rest of a refused body to keep
   * it, which would hold a thread for as long as the client cares to send that body slowly.
   */
  private static void dontReadTheRestOfTheBody(Request request) {
    request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
  }

  private void refuse(Request request, Response response) throws IOException {
    dontReadTheRestOfTheBody(request);
    response.setHeader(HttpHeaders.CONNECTION, "close");
    problems.tooManyRequestsInProgress(request, response, retryAfterSeconds, maxPerAddress);
  }
}
