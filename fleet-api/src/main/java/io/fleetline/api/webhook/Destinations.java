package io.fleetline.api.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
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

  /** Threads that look hosts up; a lookup cannot be interrupted, so a slow one holds its thread. */
  static final int LOOKUP_THREADS = 8;

  /** Lookups waiting for a thread; more are turned away as busy rather than queued. */
  static final int MAX_WAITING_LOOKUPS = 64;

  /**
   * Lookups of one fleet under way at once, counted until the lookup itself ends (a caller that
   * stopped waiting does not free its thread): a fleet whose hosts resolve slowly holds at most
   * this many threads, and the other fleets keep the rest.
   */
  static final int LOOKUPS_PER_FLEET = 2;

  /** Looks a host up; the JVM's resolver in production. */
  interface Resolver {
    InetAddress[] lookUp(String host) throws UnknownHostException;
  }

  private final WebhookProperties properties;
  private final Resolver dns;
  private final Map<UUID, Integer> lookupsByFleet = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor resolver =
      new ThreadPoolExecutor(
          LOOKUP_THREADS,
          LOOKUP_THREADS,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(MAX_WAITING_LOOKUPS),
          r -> {
            Thread thread = new Thread(r, "webhook-dns");
            thread.setDaemon(true);
            return thread;
          });

  @Autowired
  Destinations(WebhookProperties properties) {
    this(properties, InetAddress::getAllByName);
  }

  /** With the given resolver instead of the JVM's. */
  Destinations(WebhookProperties properties, Resolver dns) {
    this.properties = properties;
    this.dns = dns;
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
  static class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * This instance could not look the host up now (too many lookups under way, or the lookup did not
   * get a thread in time): no fault of the endpoint, to be tried again later.
   */
  static final class Busy extends Refused {
    Busy(String reason) {
      super(reason);
    }
  }

  /** Parses, resolves and checks the URL, for no fleet in particular. */
  Target check(String url) throws Refused {
    return check(url, null);
  }

  /**
   * Parses, resolves and checks a URL of the given fleet; throws {@link Refused} with the reason,
   * {@link Busy} when the host cannot be looked up now.
   */
  Target check(String url, UUID fleetId) throws Refused {
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
    List<InetAddress> addresses = resolve(host, fleetId);
    if (!properties.allowPrivateNetworks()) {
      for (InetAddress address : addresses) {
        String refusal = AddressRules.refusal(address);
        if (refusal != null) {
          // The address itself is not told: it would map internal networks for the caller.
          throw new Refused(
              "the host "
                  + host
                  + " resolves to a "
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

  private List<InetAddress> resolve(String host, UUID fleetId) throws Refused {
    UUID owner = fleetId == null ? NO_FLEET : fleetId;
    if (!startLookup(owner)) {
      throw new Busy("too many lookups of this fleet's hosts are under way");
    }
    AtomicBoolean started = new AtomicBoolean();
    Future<InetAddress[]> lookup;
    try {
      lookup =
          resolver.submit(
              () -> {
                if (!started.compareAndSet(false, true)) {
                  return null; // its caller stopped waiting before it got a thread
                }
                try {
                  return dns.lookUp(host);
                } finally {
                  endLookup(owner);
                }
              });
    } catch (RejectedExecutionException e) {
      endLookup(owner);
      throw new Busy("too many host lookups are waiting");
    }
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
      if (started.compareAndSet(false, true)) {
        lookup.cancel(false);
        endLookup(owner); // it will never run: its count is given back here
        throw new Busy("the lookup of the host " + host + " waited too long for a thread");
      }
      throw new Refused("resolving the host " + host + " took too long");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted while resolving the host " + host);
    }
  }

  private static final UUID NO_FLEET = new UUID(0, 0);

  private boolean startLookup(UUID owner) {
    boolean[] started = {false};
    lookupsByFleet.compute(
        owner,
        (id, running) -> {
          int now = running == null ? 0 : running;
          if (now >= LOOKUPS_PER_FLEET && !owner.equals(NO_FLEET)) {
            return running;
          }
          started[0] = true;
          return now + 1;
        });
    return started[0];
  }

  private void endLookup(UUID owner) {
    lookupsByFleet.computeIfPresent(owner, (id, running) -> running <= 1 ? null : running - 1);
  }

  @Override
  public void destroy() {
    resolver.shutdownNow();
  }
}
