package io.fleetline.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Proportions of the fleet per protocol, from {@code http=50,osmand=20,mqtt=20,teltonika=10}. */
record ProtocolMix(Map<Protocol, Double> weights) {

  static ProtocolMix parse(String text) {
    Map<Protocol, Double> weights = new EnumMap<>(Protocol.class);
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split("=", -1);
      Protocol protocol = Protocol.fromWire(kv[0]);
      double weight;
      try {
        weight = kv.length == 1 ? 1 : Double.parseDouble(kv[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "the weight of " + kv[0] + " must be a number, was '" + kv[1] + "'");
      }
      if (kv.length > 2 || !(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(
            "takes NAME=WEIGHT pairs with weights >= 0, got '" + part + "'");
      }
      if (weights.put(protocol, weight) != null) {
        throw new IllegalArgumentException("names " + kv[0] + " twice");
      }
    }
    if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new IllegalArgumentException("needs at least one positive weight");
    }
    weights.values().removeIf(w -> w == 0);
    return new ProtocolMix(weights);
  }

  boolean includes(Protocol protocol) {
    return weights.containsKey(protocol);
  }

  /**
   * The protocol of each of {@code vehicles} vehicles: counts by largest remainder, so that they
   * match the proportions as closely as whole vehicles can, interleaved so that any prefix of the
   * fleet is mixed too.
   */
  List<Protocol> assign(int vehicles) {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<Protocol, Integer> counts = new EnumMap<>(Protocol.class);
    Map<Protocol, Double> remainders = new EnumMap<>(Protocol.class);
    int assigned = 0;
    for (Map.Entry<Protocol, Double> e : weights.entrySet()) {
      double exact = vehicles * e.getValue() / total;
      counts.put(e.getKey(), (int) Math.floor(exact));
      remainders.put(e.getKey(), exact - Math.floor(exact));
      assigned += (int) Math.floor(exact);
    }
    List<Protocol> byRemainder = new ArrayList<>(remainders.keySet());
    byRemainder.sort((a, b) -> Double.compare(remainders.get(b), remainders.get(a)));
    for (int i = 0; assigned < vehicles; i++, assigned++) {
      Protocol p = byRemainder.get(i % byRemainder.size());
      counts.merge(p, 1, Integer::sum);
    }
    // Interleave: vehicle i takes the protocol furthest behind its share so far.
    List<Protocol> result = new ArrayList<>(vehicles);
    Map<Protocol, Integer> used = new EnumMap<>(Protocol.class);
    for (int i = 0; i < vehicles; i++) {
      Protocol next = null;
      double worst = Double.POSITIVE_INFINITY;
      for (Map.Entry<Protocol, Integer> e : counts.entrySet()) {
        int u = used.getOrDefault(e.getKey(), 0);
        if (u >= e.getValue()) {
          continue;
        }
        double progress = (u + 0.5) / e.getValue();
        if (progress < worst) {
          worst = progress;
          next = e.getKey();
        }
      }
      used.merge(next, 1, Integer::sum);
      result.add(next);
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public String toString() {
    return weights.entrySet().stream()
        .map(e -> e.getKey().wireName() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
