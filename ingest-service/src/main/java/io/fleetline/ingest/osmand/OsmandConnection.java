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
import java.util.concurrent.TimeUnit;
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
  private final OsmandLimits limits;
  private final SourceSlots sources;
  private final String source;

  private State state = State.IDLE;
  private boolean holdsSlot;
  private boolean keepAlive;
  private boolean http10;
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
      OsmandEndpoint endpoint, OsmandLimits limits, SourceSlots sources, String source) {
    this.endpoint = endpoint;
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
    String uri = request.uri();
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
    ctx.channel().config().setAutoRead(false);
    byte[] decoded;
    try {
      decoded = BoundedBody.decode(contentEncoding, raw, limits.maxBodyBytes());
    } catch (BodyException e) {
      answer(ctx, OsmandAnswer.of(e));
      return;
    }
    endpoint
        .receive(query, contentType, charset, decoded)
        .whenComplete(
            (answer, failure) -> {
              OsmandAnswer reply =
                  failure == null
                      ? answer
                      : OsmandAnswer.problem(500, "internal", "Internal error", null).closing();
              if (ctx.executor().inEventLoop()) {
                answer(ctx, reply);
              } else {
                ctx.executor().execute(() -> answer(ctx, reply));
              }
            });
  }

  /** Answers the request whose body has been read whole. */
  private void answer(ChannelHandlerContext ctx, OsmandAnswer answer) {
    boolean close = answer.close() || !keepAlive;
    ChannelFuture written = write(ctx, answer, close);
    endRequest();
    if (close) {
      state = State.DISCARDING;
      written.addListener(ChannelFutureListener.CLOSE);
    } else {
      state = State.IDLE;
      ctx.channel().config().setAutoRead(true);
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
    ctx.channel().config().setAutoRead(true);
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
        // Kafka's answer is bounded by the publish timeout.
      }
    }
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
    endRequest();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("OsmAnd connection from {} failed: {}", source, cause.toString());
    ctx.close();
  }
}
