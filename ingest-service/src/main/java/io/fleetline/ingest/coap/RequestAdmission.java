package io.fleetline.ingest.coap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;

/**
 * Decides, for each CoAP request as soon as it is parsed and before Californium keeps anything of
 * it (for deduplication or to assemble a block-wise upload), whether the port takes it: its source
 * address must have budget left, and so must the port as a whole, since UDP sources can be forged
 * by the thousand. A request refused here is dropped without an answer, so a forged source's victim
 * gets nothing, and costs no memory past this call.
 */
final class RequestAdmission extends MessageInterceptorAdapter {

  private final SourceRate perSource;
  private final Bucket all;
  private final LongSupplier nanoTime;
  private final Counter refusedBySource;
  private final Counter refusedInAll;

  RequestAdmission(
      SourceRate perSource, int perSecond, int burst, LongSupplier nanoTime, MeterRegistry meters) {
    this.perSource = perSource;
    this.all = new Bucket(perSecond, burst, nanoTime.getAsLong());
    this.nanoTime = nanoTime;
    this.refusedBySource = PingsResource.refused(meters, "requests_per_source");
    this.refusedInAll = PingsResource.refused(meters, "requests");
  }

  @Override
  public void receiveRequest(Request request) {
    if (!perSource.tryAcquire(request.getSourceContext().getPeerAddress().getAddress())) {
      refusedBySource.increment();
      request.setCanceled(true);
    } else if (!all.take(nanoTime.getAsLong())) {
      refusedInAll.increment();
      request.setCanceled(true);
    }
  }

  /** A token bucket for the whole port. */
  private static final class Bucket {
    private final double tokensPerNano;
    private final int burst;
    private double tokens;
    private long updated;

    Bucket(int perSecond, int burst, long now) {
      this.tokensPerNano = perSecond / (double) TimeUnit.SECONDS.toNanos(1);
      this.burst = Math.max(1, burst);
      this.tokens = this.burst;
      this.updated = now;
    }

    synchronized boolean take(long now) {
      tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
      updated = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
