package io.fleetline.ingest.osmand;

import io.fleetline.ingest.transport.BodyException;
import io.fleetline.ingest.transport.BoundedBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OsmAnd connection: reads a request within the port's limits, hands it to the endpoint, and
 * writes the answer once the positions are durable. One request at a time: the connection stops
 * reading while its answer is pending, so a pipelining client gets its answers in order and cannot
 * pile up work.
 *
 * <p>Limits, each answered before anything larger is read: the request line and headers (431 or
 * 414), the query string (414), the body as declared and as counted, also after decompression
 * (413), the body's arrival time (408), and the requests one address has in progress (429).
 */
final class OsmandConnection extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(OsmandConnection.class);

  // Header names written as most servers write them: some tracker firmware compares them exactly.
  private static final String CONTENT_TYPE = "Content-Type";
  private static final String CONTENT_LENGTH = "Content-Length";
  private static final String RETRY_AFTER = "Retry-After";
  private static final String ALLOW = "Allow";
  private static final String CONNECTION = "Connection";

  /** Requests a client may send ahead of its answers; real devices send one at a time. */
  private static final int MAX_PIPELINED = 16;

  /** Where the connection is in its current request. */
  private enum State {
    /** Between requests. */
    IDLE,
    /** The head has arrived; the body is being collected. */
    READING,
    /** The request is with the endpoint; reading is paused. */
    ANSWERING,
    /**
     * A closing answer was sent; what is left of the request is read and dropped, within bounds.
     */
    DISCARDING
  }

  private final OsmandEndpoint endpoint;
  private final AtomicInteger answering;
  private final OsmandLimits limits;
  private final SourceSlots sources;
  private final String source;

  private State state = State.IDLE;
  private boolean holdsSlot;
  private boolean keepAlive;
  private boolean http10;

  /** An answer is on its way out; the next request waits for it. */
  private boolean writing;

  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private int pipelinedRequests;
  private String query;
  private String contentType;
  private String contentEncoding;
  private Charset charset;
  private CompositeByteBuf body;
  private long discarded;

  /** When the current request's first byte arrived, or 0 between requests. */
  private long requestStartNanos;

  private long lastAnswerNanos = System.nanoTime();
  private ScheduledFuture<?> deadline;
  private ChannelFuture lastWrite;
  private ChannelHandlerContext http;

  OsmandConnection(
      OsmandEndpoint endpoint,
      AtomicInteger answering,
      OsmandLimits limits,
      SourceSlots sources,
      String source) {
    this.endpoint = endpoint;
    this.answering = answering;
    this.limits = limits;
    this.sources = sources;
    this.source = source;
  }

  /**
   * Notes when a request's first bytes arrive, before the HTTP decoder has a whole head: a client
   * trickling its headers is held to the same time limit as one trickling its body.
   */
  ChannelInboundHandlerAdapter firstBytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (requestStartNanos == 0 && state == State.IDLE) {
          requestStartNanos = System.nanoTime();
          // The HTTP handler's context: answers must pass through the encoder.
          scheduleDeadline(http);
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    http = ctx;
  }

  /** The connection reads only on demand (see {@link #demand}). */
  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.read();
    super.channelActive(ctx);
  }

  /** Holds the request to its time from its first byte; the answer cancels it. */
  private void scheduleDeadline(ChannelHandlerContext ctx) {
    if (deadline != null) {
      return;
    }
    long left = limits.maxRequestTime().toNanos() - (System.nanoTime() - requestStartNanos);
    deadline = ctx.executor().schedule(() -> requestTooSlow(ctx), left, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.ANSWERING || writing) {
      // Pipelined behind a request not yet answered: kept, in order, for when it is. Only what
      // one read decoded can arrive here, since no read is asked for meanwhile.
      if (msg instanceof HttpRequest && ++pipelinedRequests > MAX_PIPELINED) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      pipelined.add(msg);
      return;
    }
    process(ctx, msg);
    demand(ctx);
  }

  /**
   * Goes on with what is next: requests that were pipelined first, then the socket. Between
   * requests nothing is read until the last answer is out, so a client that never reads its answers
   * cannot make the server pile up output.
   */
  private void demand(ChannelHandlerContext ctx) {
    while (state != State.ANSWERING && !writing) {
      Object next = pipelined.poll();
      if (next == null) {
        ctx.read();
        return;
      }
      if (next instanceof HttpRequest) {
        pipelinedRequests--;
      }
      process(ctx, next);
    }
  }

  private void process(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        onHead(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
    if (state != State.IDLE) {
      // A request pipelined behind a closing answer: never read.
      return;
    }
    if (requestStartNanos == 0) {
      // Its bytes came in one read with the previous request's.
      requestStartNanos = System.nanoTime();
      scheduleDeadline(ctx);
    }
    DecoderResult decoded = request.decoderResult();
    keepAlive = HttpUtil.isKeepAlive(request);
    http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
    if (decoded.isFailure()) {
      answerAndDiscard(ctx, unreadable(decoded.cause()));
      return;
    }
    if (!sources.tryAcquire(source)) {
      holdsSlot = false;
      answerAndClose(
          ctx,
          OsmandAnswer.problem(
                  429,
                  "too-many-requests",
                  "Too many requests",
                  "More than " + sources.max() + " requests in flight from this address.")
              .retryAfter(limits.retryAfterSeconds()));
      return;
    }
    holdsSlot = true;
    String uri = requestTarget(request.uri());
    int mark = uri.indexOf('?');
    String path = mark < 0 ? uri : uri.substring(0, mark);
    query = mark < 0 ? null : uri.substring(mark + 1);
    if (!"/".equals(path)) {
      answerAndDiscard(ctx, OsmandAnswer.problem(404, "not-found", "Not found", null));
      return;
    }
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.POST.equals(method)) {
      answerAndDiscard(
          ctx,
          OsmandAnswer.problem(
              405,
              "method-not-allowed",
              "Method not allowed",
              "The OsmAnd endpoint takes GET and POST."));
      return;
    }
    if (query != null && query.length() > limits.maxQueryBytes()) {
      answerAndDiscard(
          ctx,
          OsmandAnswer.problem(
              414,
              "uri-too-long",
              "Query too long",
              "The query string is longer than " + limits.maxQueryBytes() + " bytes."));
      return;
    }
    HttpHeaders headers = request.headers();
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > limits.maxBodyBytes()) {
      answerAndDiscard(ctx, OsmandAnswer.of(BoundedBody.tooLarge(limits.maxBodyBytes())));
      return;
    }
    contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
    contentEncoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    charset = HttpUtil.getCharset(request, StandardCharsets.UTF_8);
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    state = State.READING;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    ByteBuf bytes = content.content();
    boolean last = content instanceof LastHttpContent;
    if (state == State.READING && content.decoderResult().isFailure()) {
      // A broken chunk: the body cannot be trusted, and the decoder reads nothing after it.
      answerAndClose(ctx, unreadable(content.decoderResult().cause()));
      return;
    }
    if (state == State.DISCARDING) {
      discarded += bytes.readableBytes();
      if (last || discarded > limits.maxDrainBytes()) {
        closeAfterAnswer(ctx);
      }
      return;
    }
    if (state != State.READING) {
      return;
    }
    int received = (body == null ? 0 : body.readableBytes()) + bytes.readableBytes();
    if (received > limits.maxBodyBytes()) {
      answerAndDiscard(ctx, OsmandAnswer.of(BoundedBody.tooLarge(limits.maxBodyBytes())));
      return;
    }
    if (bytes.isReadable()) {
      if (body == null) {
        body = ctx.alloc().compositeBuffer();
      }
      body.addComponent(true, bytes.retain());
    }
    if (last) {
      handOver(ctx);
    }
  }

  /** The whole request is in: decode its body and let the endpoint answer it. */
  private void handOver(ChannelHandlerContext ctx) {
    byte[] raw = new byte[body == null ? 0 : body.readableBytes()];
    if (body != null) {
      body.readBytes(raw);
      body.release();
      body = null;
    }
    state = State.ANSWERING;
    answering.incrementAndGet();
    byte[] decoded;
    try {
      decoded = BoundedBody.decode(contentEncoding, raw, limits.maxBodyBytes());
    } catch (BodyException e) {
      answer(ctx, OsmandAnswer.of(e));
      return;
    }
    // Validation and the hand-over to Kafka run here on the event loop: the hand-over never blocks,
    // and the answer is written when Kafka has acknowledged (or refused) the positions, which the
    // publisher bounds by its delivery timeout.
    CompletableFuture<OsmandAnswer> answered;
    try {
      answered = endpoint.receive(query, contentType, charset, decoded);
    } catch (RuntimeException | StackOverflowError e) {
      // Answered as a failure like any other, so that the request ends and its slot is released:
      // an error left to escape would close the connection with the request unanswered.
      answered = CompletableFuture.failedFuture(e);
    }
    answered.whenCompleteAsync(
        (answer, failure) -> answer(ctx, failure == null ? answer : failed(failure)),
        ctx.executor());
  }

  private static OsmandAnswer failed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    log.error("OsmAnd request failed", cause);
    return OsmandAnswer.problem(500, "internal", "Internal error", null).closing();
  }

  /** Answers the request whose body has been read whole. */
  private void answer(ChannelHandlerContext ctx, OsmandAnswer answer) {
    if (state == State.ANSWERING) {
      answering.decrementAndGet();
    }
    boolean close = answer.close() || !keepAlive || !ctx.channel().isActive();
    ChannelFuture written = write(ctx, answer, close);
    endRequest();
    if (close) {
      state = State.DISCARDING;
      written.addListener(ChannelFutureListener.CLOSE);
    } else {
      state = State.IDLE;
      writing = true;
      written.addListener(
          (ChannelFutureListener)
              f -> {
                writing = false;
                if (f.isSuccess()) {
                  demand(ctx);
                }
              });
    }
  }

  /**
   * Answers before the body is read: with {@code Connection: close}, then what is left of the
   * request is read and dropped (at most max-drain-size, within the request's time) so that a
   * client still sending sees the answer instead of a reset.
   */
  private void answerAndDiscard(ChannelHandlerContext ctx, OsmandAnswer answer) {
    releaseBody();
    lastWrite = write(ctx, answer, true);
    long started = requestStartNanos;
    endRequest();
    // The rest of the request is still held to the time it had from its first byte.
    requestStartNanos = started;
    scheduleDeadline(ctx);
    state = State.DISCARDING;
    discarded = 0;
  }

  /** Answers and closes at once, the rest of the request unread. */
  private void answerAndClose(ChannelHandlerContext ctx, OsmandAnswer answer) {
    releaseBody();
    write(ctx, answer, true).addListener(ChannelFutureListener.CLOSE);
    endRequest();
    state = State.DISCARDING;
  }

  /** Closes once the last answer is on its way. */
  private void closeAfterAnswer(ChannelHandlerContext ctx) {
    if (lastWrite == null) {
      ctx.close();
    } else {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private ChannelFuture write(ChannelHandlerContext ctx, OsmandAnswer answer, boolean close) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()));
    HttpHeaders headers = response.headers();
    headers.set(CONTENT_TYPE, answer.contentType());
    headers.setInt(CONTENT_LENGTH, answer.body().length);
    if (answer.retryAfterSeconds() > 0) {
      headers.set(RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
    }
    if (answer.status() == 405) {
      headers.set(ALLOW, "GET, POST");
    }
    if (close) {
      headers.set(CONNECTION, "close");
    } else if (http10) {
      headers.set(CONNECTION, "keep-alive");
    }
    return ctx.writeAndFlush(response);
  }

  private void endRequest() {
    if (holdsSlot) {
      sources.release(source);
      holdsSlot = false;
    }
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    requestStartNanos = 0;
    lastAnswerNanos = System.nanoTime();
  }

  /** The request took longer than allowed to arrive: 408, and no more waiting for its bytes. */
  private void requestTooSlow(ChannelHandlerContext ctx) {
    deadline = null;
    if (state == State.READING) {
      answerAndClose(ctx, OsmandAnswer.of(BoundedBody.tooSlow(limits.maxRequestTime())));
    } else if (state == State.IDLE && requestStartNanos != 0) {
      // Headers still arriving after the whole request's time.
      answerAndClose(ctx, OsmandAnswer.of(BoundedBody.tooSlow(limits.maxRequestTime())));
    } else if (state == State.DISCARDING) {
      closeAfterAnswer(ctx);
    }
  }

  /** No byte for the connection timeout: a request in progress is dropped, an idle one may wait. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (!(event instanceof IdleStateEvent)) {
      super.userEventTriggered(ctx, event);
      return;
    }
    switch (state) {
      case READING ->
          answerAndClose(ctx, OsmandAnswer.of(BoundedBody.tooSlow(limits.connectionTimeout())));
      case DISCARDING -> closeAfterAnswer(ctx);
      case IDLE -> {
        long idleNanos = System.nanoTime() - lastAnswerNanos;
        // Idle events come every connection timeout; the margin absorbs timer granularity.
        long keepAliveNanos = limits.keepAliveTimeout().toNanos() - 50_000_000L;
        if (requestStartNanos != 0 || idleNanos >= keepAliveNanos) {
          ctx.close();
        }
      }
      case ANSWERING -> {
        // Kafka's answer is bounded by the publisher's delivery timeout.
      }
    }
  }

  /**
   * The request target as the device meant it: raw UTF-8 bytes (which the decoder hands over as
   * ISO-8859-1 characters) decoded, and an absolute-form target ({@code http://host:5055/?id=…})
   * reduced to its path and query.
   */
  static String requestTarget(String uri) {
    String target = uri;
    for (int i = 0; i < uri.length(); i++) {
      if (uri.charAt(i) > 0x7f) {
        target = new String(uri.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        break;
      }
    }
    if (!target.startsWith("/")) {
      int scheme = target.indexOf("://");
      if (scheme > 0) {
        int path = target.indexOf('/', scheme + 3);
        int query = target.indexOf('?', scheme + 3);
        int start = path < 0 ? query : query < 0 ? path : Math.min(path, query);
        target =
            start < 0
                ? "/"
                : target.charAt(start) == '?'
                    ? "/" + target.substring(start)
                    : target.substring(start);
      }
    }
    return target;
  }

  private static OsmandAnswer unreadable(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return OsmandAnswer.problem(
          414, "uri-too-long", "Request line too long", "The request line is too long.");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return OsmandAnswer.problem(
          431,
          "headers-too-large",
          "Request headers too large",
          "The request headers are too large.");
    }
    return OsmandAnswer.problem(
        400, "malformed", "Malformed request", "The request is not valid HTTP/1.1.");
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseBody();
    pipelined.forEach(ReferenceCountUtil::release);
    pipelined.clear();
    if (state != State.ANSWERING) {
      // A request with Kafka keeps its address's slot until answered, connection or not.
      endRequest();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("OsmAnd connection from {} failed: {}", source, cause.toString());
    ctx.close();
  }
}
