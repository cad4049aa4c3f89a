package io.fleetline.ingest.coap;

import io.fleetline.common.DeviceKey;
import io.fleetline.common.DeviceProtocol;
import io.fleetline.common.DeviceRegistration;
import io.fleetline.ingest.registry.DeviceRegistry;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * The pre-shared keys of the DTLS port: the PSK identity is an {@code http} device's identifier and
 * the key is the 32 bytes of SHA-256 of its token. The registry holds only that hash, never the
 * token, so the hash is the key: a device computes it from its token, and ingest reads it from the
 * registry without ever learning the token. An unknown identity has no key and its handshake fails.
 */
final class DevicePskStore implements AdvancedPskStore {

  private final DeviceRegistry registry;

  DevicePskStore(DeviceRegistry registry) {
    this.registry = registry;
  }

  /** The device a DTLS peer proved to be, by the identity of its key. */
  Optional<DeviceRegistration> device(String identity) {
    return registry.find(new DeviceKey(DeviceProtocol.HTTP, identity));
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return true;
  }

  @Override
  public PskSecretResult requestPskSecretResult(
      ConnectionId cid,
      ServerNames serverName,
      PskPublicInformation identity,
      String hmacAlgorithm,
      SecretKey otherSecret,
      byte[] seed,
      boolean useExtendedMasterSecret) {
    SecretKey key =
        device(identity.getPublicInfoAsString())
            .map(DeviceRegistration::tokenSha256)
            .map(hash -> SecretUtil.create(HexFormat.of().parseHex(hash), "PSK"))
            .orElse(null);
    return new PskSecretResult(cid, identity, key);
  }

  @Override
  public PskPublicInformation getIdentity(InetSocketAddress peer, ServerNames virtualHost) {
    return null; // a server only answers handshakes, it never starts one
  }

  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {
    // Keys are looked up synchronously in the in-memory registry.
  }
}
