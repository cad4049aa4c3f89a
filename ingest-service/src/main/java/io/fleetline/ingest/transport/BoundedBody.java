package io.fleetline.ingest.transport;

import io.fleetline.ingest.validation.DeviceText;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.HttpHeaders;

/**
 * Reads a device's request body as its bytes arrive, up to a limit and within a time: memory grows
 * with the bytes received, never with the declared {@code Content-Length}, and a gzip body is
 * inflated only up to the same limit, so a compression bomb stops there.
 */
public final class BoundedBody {

  private static final int CHUNK_BYTES = 8192;
  private static final int FIRST_BUFFER_MAX = 65536;

  private BoundedBody() {}

  /**
   * The body's bytes, decompressed when it says {@code Content-Encoding: gzip}.
   *
   * @param limitBytes most bytes accepted, before and after decompression
   * @param maxReadTime how long the whole body may take to arrive; each read is also bounded by the
   *     connector's read timeout
   * @throws IOException when the connection failed for another reason than slowness (the client
   *     went away: nobody is left to answer)
   */
  public static byte[] read(HttpServletRequest request, int limitBytes, Duration maxReadTime)
      throws BodyException, IOException {
    if (request.getContentLengthLong() > limitBytes) {
      throw tooLarge(limitBytes, "");
    }
    boolean gzip = isGzip(request.getHeader(HttpHeaders.CONTENT_ENCODING));
    byte[] raw =
        readAtMost(
            request.getInputStream(), request.getContentLengthLong(), limitBytes, maxReadTime);
    return gzip ? gunzip(raw, limitBytes) : raw;
  }

  /**
   * A body already read within the limit, decompressed when its {@code Content-Encoding} says gzip
   * (inflated only up to the same limit).
   */
  public static byte[] decode(String contentEncoding, byte[] raw, int limitBytes)
      throws BodyException {
    return isGzip(contentEncoding) ? gunzip(raw, limitBytes) : raw;
  }

  /**
   * Whether the request has a body to read and judge: a positive {@code Content-Length}, a {@code
   * Transfer-Encoding}, or a {@code Content-Encoding} (an empty body that says it is gzip is
   * malformed, not absent).
   */
  public static boolean present(HttpServletRequest request) {
    return request.getContentLengthLong() > 0
        || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
        || request.getHeader(HttpHeaders.CONTENT_ENCODING) != null;
  }

  private static boolean isGzip(String encoding) throws BodyException {
    if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
      return false;
    }
    if (encoding.trim().equalsIgnoreCase("gzip")) {
      return true;
    }
    throw new BodyException(
        BodyException.Kind.UNSUPPORTED_ENCODING,
        "Content-Encoding must be gzip or identity, was " + DeviceText.quoted(encoding));
  }

  static byte[] readAtMost(InputStream in, long declaredBytes, int limitBytes, Duration maxReadTime)
      throws BodyException, IOException {
    long deadline = System.nanoTime() + maxReadTime.toNanos();
    // One byte past the limit tells "exactly at the limit" from "over it".
    int capacity = limitBytes + 1;
    // A declared length sizes the first buffer only up to a bound, so a body up to that bound is
    // read into one array of its exact size while a lie about the length costs at most the bound.
    long firstBytes = declaredBytes >= 0 ? Math.min(declaredBytes, FIRST_BUFFER_MAX) : CHUNK_BYTES;
    byte[] buffer = new byte[(int) Math.min(firstBytes, capacity)];
    int length = 0;
    while (true) {
      if (length == declaredBytes) {
        // HTTP framing: no byte follows the declared length.
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
      }
      if (length == buffer.length) {
        if (length == capacity) {
          throw tooLarge(limitBytes, "");
        }
        buffer =
            Arrays.copyOf(buffer, (int) Math.min(Math.max(CHUNK_BYTES, length * 2L), capacity));
      }
      int read;
      try {
        read = in.read(buffer, length, buffer.length - length);
      } catch (IOException e) {
        if (causedByTimeout(e)) {
          throw tooSlow(maxReadTime);
        }
        throw e;
      }
      if (read < 0) {
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
      }
      length += read;
      if (System.nanoTime() - deadline > 0) {
        throw tooSlow(maxReadTime);
      }
    }
  }

  private static byte[] gunzip(byte[] compressed, int limitBytes) throws BodyException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      byte[] bytes = in.readNBytes(limitBytes + 1);
      if (bytes.length > limitBytes) {
        throw tooLarge(limitBytes, " after decompression");
      }
      return bytes;
    } catch (ZipException | EOFException e) {
      throw new BodyException(
          BodyException.Kind.MALFORMED_ENCODING,
          "The body is not valid gzip ("
              + (compressed.length == 0 ? "empty" : e.getMessage())
              + ").");
    } catch (IOException e) {
      // The source is an array: nothing else can fail.
      throw new IllegalStateException(e);
    }
  }

  private static boolean causedByTimeout(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The answer to a body larger than the limit. */
  public static BodyException tooLarge(int limitBytes) {
    return tooLarge(limitBytes, "");
  }

  private static BodyException tooLarge(int limitBytes, String when) {
    return new BodyException(
        BodyException.Kind.TOO_LARGE,
        "The body is larger than " + limitBytes + " bytes" + when + ".");
  }

  /** The answer to a body that did not arrive within its time. */
  public static BodyException tooSlow(Duration maxReadTime) {
    return new BodyException(
        BodyException.Kind.TOO_SLOW,
        "The body did not arrive within " + maxReadTime.toSeconds() + " s.");
  }
}
