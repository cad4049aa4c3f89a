package io.fleetline.ingest.teltonika;

/** An AVL data packet whose CRC matched but whose content does not follow the codec's layout. */
class MalformedAvlException extends Exception {

  MalformedAvlException(String message) {
    super(message);
  }
}
