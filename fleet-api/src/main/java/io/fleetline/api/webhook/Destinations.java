package io.fleetline.api.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Checks a webhook URL and resolves it to the addresses a delivery may connect to. Checked when a
 * subscription is written and again before every attempt, and the attempt connects to the checked
 * addresses only, so a host that later resolves to an internal address (DNS rebinding) is refused
 * rather than reached.
 */
@Component
class Destinations implements DisposableBean {

  /** More addresses than this are not tried: each may take the whole connect timeout. */
  static final int MAX_ADDRESSES = 3;

  private final WebhookProperties properties;
  private final ExecutorService resolver =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread thread = new Thread(r, "webhook-dns");
            thread.setDaemon(true);
            return thread;
          });

  Destinations(WebhookProperties properties) {
    this.properties = properties;
  }

  /** Where one delivery goes: the URL's parts and the addresses that passed the check. */
  record Target(
      String url,
      boolean https,
      String host,
      int port,
      String pathAndQuery,
      List<InetAddress> addresses) {

    /** The {@code Host} header: the port only when it is not the scheme's default. */
    String hostHeader() {
      String name = host.contains(":") ? "[" + host + "]" : host;
      return port == (https ? 443 : 80) ? name : name + ":" + port;
    }
  }

  /** Why a URL may not be a webhook endpoint. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses, resolves and checks the URL; throws {@link Refused} with the reason. */
  Target check(String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("the URL is not valid: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("only http and https URLs can receive webhooks");
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("the URL must not carry credentials");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new Refused("the URL has no valid host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    List<InetAddress> addresses = resolve(host);
    if (!properties.allowPrivateNetworks()) {
      for (InetAddress address : addresses) {
        String refusal = AddressRules.refusal(address);
        if (refusal != null) {
          throw new Refused(
              "the host "
                  + host
                  + " resolves to "
                  + address.getHostAddress()
                  + ", a "
                  + refusal
                  + "; webhooks go to public addresses only");
        }
      }
    }
    return new Target(
        url,
        https,
        host,
        port,
        path + query,
        addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size())));
  }

  private List<InetAddress> resolve(String host) throws Refused {
    Future<InetAddress[]> lookup = resolver.submit(() -> InetAddress.getAllByName(host));
    try {
      InetAddress[] found = lookup.get(properties.dnsTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (found.length == 0) {
        throw new Refused("the host " + host + " does not resolve");
      }
      return new ArrayList<>(List.of(found));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException) {
        throw new Refused("the host " + host + " does not resolve");
      }
      throw new Refused("the host " + host + " could not be resolved: " + e.getCause());
    } catch (TimeoutException e) {
      lookup.cancel(true);
      throw new Refused("resolving the host " + host + " took too long");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted while resolving the host " + host);
    }
  }

  @Override
  public void destroy() {
    resolver.shutdownNow();
  }
}
