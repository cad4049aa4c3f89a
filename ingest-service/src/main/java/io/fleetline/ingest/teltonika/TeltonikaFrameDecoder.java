package io.fleetline.ingest.teltonika;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one connection's byte stream into messages: first the {@link ImeiMessage}, then {@link
 * AvlPacket}s, each emitted only once complete and with a matching CRC. A non-zero preamble, an
 * implausible length, an unknown codec or a wrong CRC closes the connection without an
 * acknowledgement. A packet with a matching CRC whose records do not follow the layout is passed on
 * as an {@link UndecodableAvlPacket}: the device meant those bytes, and resending cannot fix them.
 *
 * <p>A CRC mismatch closes rather than skips: TCP already protects the bytes in transit, so a
 * mismatch means the device's framing cannot be trusted, and the device resends every record it did
 * not get an acknowledgement for when it reconnects.
 */
final class TeltonikaFrameDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(TeltonikaFrameDecoder.class);

  // IMEI message: length 2 bytes (unsigned, big-endian), then that many ASCII digits (15 for an
  // IMEI). 20 leaves room for IMEISV-style identifiers without admitting garbage.
  static final int MAX_IMEI_DIGITS = 20;

  // AVL data packet, big-endian:
  //   preamble 4 bytes (zero) | data field length 4 bytes (codec id .. number of data 2) |
  //   data field | CRC 4 bytes (upper two zero, lower two CRC-16/IBM of the data field)
  private static final int HEADER_BYTES = 8;
  private static final int CRC_BYTES = 4;
  // Smallest data field: codec id 1 + count 1 + one Codec 8 record (timestamp 8, priority 1,
  // GPS 15, IO header 6) + count 1.
  static final int MIN_DATA_FIELD_BYTES = 1 + 1 + 30 + 1;

  private final int maxFrameBytes;
  private final TeltonikaMetrics metrics;
  private boolean imeiReceived;
  private boolean failed;

  TeltonikaFrameDecoder(int maxFrameBytes, TeltonikaMetrics metrics) {
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
    } else if (!imeiReceived) {
      decodeImei(ctx, in, out);
    } else {
      decodeAvl(ctx, in, out);
    }
  }

  private void decodeImei(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 2) {
      return;
    }
    int length = in.getUnsignedShort(in.readerIndex());
    if (length == 0 || length > MAX_IMEI_DIGITS) {
      fail(ctx, in, TeltonikaMetrics.FRAME_MALFORMED, "IMEI length " + length);
      return;
    }
    if (in.readableBytes() < 2 + length) {
      return;
    }
    String imei = in.toString(in.readerIndex() + 2, length, StandardCharsets.US_ASCII);
    if (!imei.chars().allMatch(c -> c >= '0' && c <= '9')) {
      fail(ctx, in, TeltonikaMetrics.FRAME_MALFORMED, "IMEI is not all digits");
      return;
    }
    in.skipBytes(2 + length);
    imeiReceived = true;
    out.add(new ImeiMessage(imei));
  }

  private void decodeAvl(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    // Check the preamble byte by byte as it arrives, so that garbage is refused at once.
    for (int i = 0; i < Math.min(4, readable); i++) {
      if (in.getByte(start + i) != 0) {
        fail(ctx, in, TeltonikaMetrics.FRAME_MALFORMED, "non-zero preamble");
        return;
      }
    }
    if (readable < HEADER_BYTES) {
      return;
    }
    long dataLength = in.getUnsignedInt(start + 4);
    if (dataLength < MIN_DATA_FIELD_BYTES) {
      fail(ctx, in, TeltonikaMetrics.FRAME_MALFORMED, "data field length " + dataLength);
      return;
    }
    if (HEADER_BYTES + dataLength + CRC_BYTES > maxFrameBytes) {
      fail(ctx, in, TeltonikaMetrics.FRAME_OVERSIZE, "data field length " + dataLength);
      return;
    }
    if (readable > HEADER_BYTES) {
      int codecId = in.getUnsignedByte(start + HEADER_BYTES);
      if (codecId != AvlRecordDecoder.CODEC_8 && codecId != AvlRecordDecoder.CODEC_8_EXTENDED) {
        fail(
            ctx,
            in,
            TeltonikaMetrics.FRAME_MALFORMED,
            "codec id 0x" + Integer.toHexString(codecId));
        return;
      }
    }
    int frameBytes = HEADER_BYTES + (int) dataLength + CRC_BYTES;
    if (readable < frameBytes) {
      return;
    }
    int dataStart = start + HEADER_BYTES;
    long crcField = in.getUnsignedInt(dataStart + (int) dataLength);
    int crc = Crc16Ibm.of(in, dataStart, (int) dataLength);
    if (crcField != crc) {
      fail(
          ctx,
          in,
          TeltonikaMetrics.FRAME_CRC_ERROR,
          "CRC field 0x" + Long.toHexString(crcField) + ", computed 0x" + Integer.toHexString(crc));
      return;
    }
    AvlPacket packet;
    try {
      packet = AvlRecordDecoder.decode(in.slice(dataStart, (int) dataLength));
    } catch (MalformedAvlException e) {
      int declaredRecords = in.getUnsignedByte(dataStart + 1);
      if (declaredRecords == 0) {
        fail(ctx, in, TeltonikaMetrics.FRAME_MALFORMED, e.getMessage());
        return;
      }
      byte[] frame = new byte[frameBytes];
      in.readBytes(frame);
      metrics.frame(TeltonikaMetrics.FRAME_UNDECODABLE);
      log.debug(
          "Undecodable Teltonika packet from {} with a good CRC: {}",
          ctx.channel().remoteAddress(),
          e.getMessage());
      out.add(new UndecodableAvlPacket(frame, declaredRecords, e.getMessage()));
      return;
    }
    in.skipBytes(frameBytes);
    metrics.frame(TeltonikaMetrics.FRAME_OK);
    out.add(packet);
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String result, String detail) {
    failed = true;
    in.skipBytes(in.readableBytes());
    metrics.frame(result);
    log.debug(
        "Closing Teltonika connection {}: {} ({})", ctx.channel().remoteAddress(), result, detail);
    ctx.close();
  }
}
