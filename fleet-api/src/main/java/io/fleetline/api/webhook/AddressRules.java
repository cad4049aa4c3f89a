package io.fleetline.api.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a webhook may not be sent to, unless the operator allows private networks: the
 * service's own host, its networks and cloud metadata endpoints are not for fleets to reach.
 */
final class AddressRules {

  private AddressRules() {}

  /** Why the address is refused, or {@code null} when it is a public unicast address. */
  static String refusal(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return "loopback address";
    }
    byte[] b = address.getAddress();
    if (b.length == 16) {
      Inet4Address embedded = embeddedIpv4(b);
      if (embedded != null) {
        String inner = refusal(embedded);
        return inner == null ? null : "IPv4 " + inner + " in an IPv6 address";
      }
      return ipv6(address, b);
    }
    return ipv4(address, b);
  }

  private static String ipv4(InetAddress address, byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0) {
      return "unspecified address"; // 0.0.0.0/8, "this network"
    }
    if (first == 127) {
      return "loopback address";
    }
    if (first == 10
        || (first == 172 && second >= 16 && second <= 31)
        || (first == 192 && second == 168)) {
      return "private address (RFC 1918)";
    }
    if (first == 100 && second >= 64 && second <= 127) {
      return "carrier-grade NAT address (RFC 6598)";
    }
    if (address.isLinkLocalAddress() || (first == 169 && second == 254)) {
      return "link-local address";
    }
    if (address.isMulticastAddress()) {
      return "multicast address";
    }
    if (first >= 240) {
      return "reserved or broadcast address";
    }
    if (first == 198 && (second == 18 || second == 19)) {
      return "benchmarking address (RFC 2544)";
    }
    if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
      return "IETF protocol assignment address";
    }
    return null;
  }

  private static String ipv6(InetAddress address, byte[] b) {
    if (address.isLinkLocalAddress()) {
      return "link-local address";
    }
    if (address.isMulticastAddress()) {
      return "multicast address";
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return "unique local address (RFC 4193)";
    }
    if (address.isSiteLocalAddress()) {
      return "site-local address";
    }
    return null;
  }

  /**
   * The IPv4 address an IPv6 address carries in its last 32 bits where the network would reach it:
   * IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code
   * 64:ff9b::a.b.c.d}).
   */
  private static Inet4Address embeddedIpv4(byte[] b) {
    boolean zeros80 = allZero(b, 0, 10);
    boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zeros80 && b[10] == 0 && b[11] == 0;
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b
            && allZero(b, 4, 12);
    if (!mapped && !compatible && !nat64) {
      return null;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
