package llmbench.replay;

/**
 * One request of a trace.
 *
 * @param line where it is in the file (1-based; the header is line 1 of a CSV)
 * @param arrivalS when it arrived, seconds after the trace's first entry
 * @param inputLen prompt tokens, as the trace's server counted them
 * @param outputLen tokens generated
 * @param hashIds the prompt's blocks, one id per block in order; empty when the trace names none
 */
public record TraceEntry(int line, double arrivalS, int inputLen, int outputLen, long[] hashIds) {}
