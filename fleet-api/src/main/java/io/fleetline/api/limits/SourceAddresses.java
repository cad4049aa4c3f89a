package io.fleetline.api.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The key a source address is counted under by the API's limits: an IPv4 address as it is, an IPv6
 * one by its /64 (one subscriber usually holds a whole /64). Only IP literals are parsed, never
 * resolved: anything else (a name a proxy put in a forwarded header) is its own key as written, so
 * no request ever waits for a name lookup.
 */
public final class SourceAddresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private SourceAddresses() {}

  public static String key(String address) {
    if (address == null || address.isEmpty()) {
      return "";
    }
    if (IPV4.matcher(address).matches() || address.indexOf(':') < 0) {
      return address;
    }
    String literal =
        address.startsWith("[") && address.endsWith("]")
            ? address.substring(1, address.length() - 1)
            : address;
    try {
      // In brackets the JDK parses an IPv6 literal or refuses it; it never looks the text up.
      byte[] bytes = InetAddress.getByName("[" + literal + "]").getAddress();
      if (bytes.length == 16) {
        Arrays.fill(bytes, 8, 16, (byte) 0);
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      }
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException | IllegalArgumentException notALiteral) {
      return address;
    }
  }
}
