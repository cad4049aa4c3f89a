package io.fleetline.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which endpoint addresses and URLs a webhook is refused, without private networks allowed. */
class AddressRulesTest {

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.0.9, loopback",
    "::1, loopback",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "172.31.255.254, private",
    "192.168.1.1, private",
    "fd12:3456::1, unique local",
    "fc00::1, unique local",
    "169.254.169.254, link-local",
    "169.254.0.1, link-local",
    "fe80::1, link-local",
    "224.0.0.1, multicast",
    "239.255.255.250, multicast",
    "ff02::1, multicast",
    "0.0.0.0, unspecified",
    "0.1.2.3, unspecified",
    "::, unspecified",
    "100.64.0.1, carrier-grade NAT",
    "100.127.255.254, carrier-grade NAT",
    "255.255.255.255, broadcast",
    "::ffff:127.0.0.1, loopback",
    "::ffff:10.0.0.1, private",
    "::ffff:169.254.169.254, link-local",
    "64:ff9b::a9fe:a9fe, link-local",
    "64:ff9b::7f00:1, loopback",
    "::a9fe:a9fe, link-local"
  })
  void internalAddressesAreRefused(String literal, String kind) throws Exception {
    assertThat(AddressRules.refusal(InetAddress.getByName(literal))).contains(kind);
  }

  @ParameterizedTest(name = "IPv4-mapped {0} in an IPv6 address is refused")
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"})
  void ipv4MappedFormsKeptAsIpv6AreRefused(String ipv4) throws Exception {
    byte[] v4 = InetAddress.getByName(ipv4).getAddress();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(v4, 0, mapped, 12, 4);
    // Inet6Address keeps the mapped form, as a resolver may hand it over.
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(AddressRules.refusal(address)).isNotNull();
  }

  @ParameterizedTest(name = "{0} is a public address")
  @ValueSource(
      strings = {
        "93.184.216.34",
        "8.8.8.8",
        "172.32.0.1",
        "100.128.0.1",
        "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:93.184.216.34"
      })
  void publicAddressesAreAllowed(String literal) throws Exception {
    assertThat(AddressRules.refusal(InetAddress.getByName(literal))).isNull();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        "ftp://93.184.216.34/hook",
        "file:///etc/passwd",
        "gopher://93.184.216.34/",
        "http://user:password@93.184.216.34/hook",
        "http:///no-host",
        "not a url",
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "https://10.0.0.1/hook",
        "http://2130706433/"
      })
  void urlsOutsideThePublicWebAreRefused(String url) {
    Destinations destinations = new Destinations(settings(false));
    try {
      assertThatThrownBy(() -> destinations.check(url)).isInstanceOf(Destinations.Refused.class);
    } finally {
      destinations.destroy();
    }
  }

  @ParameterizedTest(name = "{0} is allowed when private networks are")
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://10.0.0.1/"})
  void theOperatorMayAllowPrivateNetworks(String url) throws Exception {
    Destinations destinations = new Destinations(settings(true));
    try {
      assertThat(destinations.check(url).addresses()).isNotEmpty();
    } finally {
      destinations.destroy();
    }
  }

  static WebhookProperties settings(boolean allowPrivateNetworks) {
    Duration second = Duration.ofSeconds(1);
    return new WebhookProperties(
        true,
        "fleetline.events",
        "test",
        allowPrivateNetworks,
        "",
        second,
        second,
        second,
        second,
        Duration.ofMinutes(1),
        Duration.ofHours(24),
        Duration.ofHours(24),
        Duration.ofHours(24),
        second,
        10,
        2,
        2,
        50,
        Duration.ofDays(30));
  }
}
