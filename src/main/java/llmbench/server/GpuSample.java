package llmbench.server;

/** One nvidia-smi reading of one GPU; {@code epochMs} is when we read it. */
public record GpuSample(long epochMs, String timestamp, int index, String name, double usedMiB,
    double totalMiB, double utilizationPct, double powerW) {}
