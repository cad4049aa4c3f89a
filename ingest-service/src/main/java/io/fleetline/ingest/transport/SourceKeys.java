package io.fleetline.ingest.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The key a remote address is counted under by ingest's per-address limits: an IPv4 address as it
 * is, an IPv6 one by its /64, since one subscriber usually holds a whole /64 and could otherwise
 * rotate through it past every limit. Text is parsed only as an IP literal, never looked up.
 */
public final class SourceKeys {

  private SourceKeys() {}

  public static String of(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      Arrays.fill(bytes, 8, 16, (byte) 0);
      try {
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return address.getHostAddress();
  }

  /** The key of an address as a connector reports it; text that is no IPv6 literal stays as is. */
  public static String of(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return address == null ? "" : address;
    }
    String literal =
        address.startsWith("[") && address.endsWith("]")
            ? address.substring(1, address.length() - 1)
            : address;
    try {
      // In brackets the JDK parses an IPv6 literal or refuses it; it never resolves the text.
      return of(InetAddress.getByName("[" + literal + "]"));
    } catch (UnknownHostException | IllegalArgumentException notALiteral) {
      return address;
    }
  }
}
