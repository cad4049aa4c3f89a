package io.fleetline.analytics.stream;

/**
 * Consecutive sample intervals beyond one harsh-driving threshold.
 *
 * @param start the sample the first interval began at
 * @param intervals how many intervals in a row were beyond the threshold
 * @param peakMps2 the largest magnitude seen
 * @param raised whether the event of this run was raised
 */
record HarshRun(Sample start, int intervals, double peakMps2, boolean raised) {}
