package io.fleetline.ingest.transport;

import io.micrometer.core.instrument.Counter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.springframework.http.HttpHeaders;

/**
 * Bounds the requests one remote address (an IPv6 one by its /64) has in flight, before anything
 * reads their bodies, so a client that declares a body and sends it slowly holds a few worker
 * threads, not all of them.
 *
 * <p>A Tomcat valve rather than a servlet filter because it also owns what happens to a body left
 * unread by an error answer. Tomcat would read (and wait for) the rest of it on a worker thread
 * after the request had left every filter; here that bounded drain (which lets a well-behaved
 * client read the answer instead of a connection reset) still counts against the address, and the
 * connection is closed after it.
 */
final class SourceLimitValve extends ValveBase {

  private final int maxRequestsPerSource;
  private final long retryAfterSeconds;
  private final long maxDrainBytes;
  private final Duration maxBodyReadTime;
  private final Counter refused;
  private final ConcurrentMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  SourceLimitValve(
      int maxRequestsPerSource,
      long retryAfterSeconds,
      long maxDrainBytes,
      Duration maxBodyReadTime,
      Counter refused) {
    super(true);
    this.refused = refused;
    this.maxRequestsPerSource = maxRequestsPerSource;
    this.retryAfterSeconds = retryAfterSeconds;
    this.maxDrainBytes = maxDrainBytes;
    this.maxBodyReadTime = maxBodyReadTime;
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    String source = SourceKeys.of(request.getRemoteAddr());
    int sourceRequests = inFlight.merge(source, 1, Integer::sum);
    try {
      if (sourceRequests > maxRequestsPerSource) {
        refuse(request, response);
        return;
      }
      getNext().invoke(request, response);
      if (response.getStatus() >= 400
          && BoundedBody.present(request)
          && !request.getCoyoteRequest().isFinished()) {
        endWithoutReadingOn(request, response);
      }
    } finally {
      inFlight.computeIfPresent(source, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  /** 429 at once, the body unread and the connection closed. */
  private void refuse(Request request, Response response) throws IOException {
    refused.increment();
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.setHeader(HttpHeaders.CONNECTION, "close");
    Problems.write(
        response,
        429,
        "too-many-requests",
        "Too many requests",
        "More than " + maxRequestsPerSource + " requests in flight from this address.");
    response.finishResponse();
    request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
  }

  /**
   * Sends the answer whole with {@code Connection: close}, then reads and discards the rest of the
   * body within bounds, so that a well-behaved client reads the answer rather than a connection
   * reset, also when more than max-drain-size is still to come (the client then has had the time of
   * that much to read the answer). Not after a 408: the body already had its time. (A body read to
   * its end, left alone by the caller, keeps the connection open for the client's next request.)
   */
  private void endWithoutReadingOn(Request request, Response response) throws IOException {
    if (!response.isCommitted()) {
      response.setHeader(HttpHeaders.CONNECTION, "close");
    }
    response.finishResponse();
    // After a 408 the body already had its time: waiting on for it would hold the thread again.
    if (response.getStatus() == 408 || !drained(request)) {
      request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
  }

  /** Reads what is left of the body below Tomcat's servlet layer (now closed); true at its end. */
  private boolean drained(Request request) {
    long deadline = System.nanoTime() + maxBodyReadTime.toNanos();
    Discard discard = new Discard();
    long drained = 0;
    try {
      for (int n; (n = request.getCoyoteRequest().doRead(discard)) >= 0; ) {
        drained += n;
        if (drained > maxDrainBytes || System.nanoTime() - deadline > 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      // The client went away or was too slow: closing is all that is left to do.
      return false;
    }
  }

  /** Takes Tomcat's input buffer and lets its bytes go. */
  private static final class Discard implements ApplicationBufferHandler {
    private ByteBuffer buffer = EMPTY_BUFFER;

    @Override
    public void setByteBuffer(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public ByteBuffer getByteBuffer() {
      return buffer;
    }

    @Override
    public void expand(int size) {}
  }
}
