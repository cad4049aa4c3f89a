package io.fleetline.ingest.teltonika;

/** Example frames published in Teltonika's protocol documentation. */
final class TeltonikaExamples {

  /**
   * The Codec 8 Extended example of the Teltonika wiki ("Codec", Codec 8 Extended, first example):
   * one record of 2019-06-10 with no GPS fix, event IO 1, five IO elements, CRC 0x2994.
   */
  static final String WIKI_CODEC_8E =
      "000000000000004A8E010000016B412CEE000100000000000000000000000000000000010005000100010100010011"
          + "001D00010010015E2C880002000B000000003544C87A000E000000001DD7E06A00000100002994";

  private TeltonikaExamples() {}
}
