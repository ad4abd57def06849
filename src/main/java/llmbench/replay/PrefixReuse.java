package llmbench.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prefix reuse a trace implies: each entry, in arrival order, shares with the entries before it
 * the tokens of its leading blocks whose chain of ids (every id up to and including the block's) an
 * earlier entry had, each block for as many tokens as both entries hold of it. A server whose cache
 * kept everything could skip at most these tokens' prefill; its measured hits sit beside them.
 */
public final class PrefixReuse {
  private PrefixReuse() {}

  /**
   * @param tokens every entry's input tokens
   * @param shared the tokens the trace says were seen before
   */
  public record Implied(long tokens, long shared) {
    public double ratio() {
      return tokens == 0 ? 0 : shared / (double) tokens;
    }
  }

  public static Implied of(List<TraceEntry> entries, int blockSize) {
    // a chain of ids is named by its parent chain's number and its last id; per chain, the most tokens
    // of its last block any entry held
    Map<Link, Integer> chains = new HashMap<>();
    List<Integer> held = new java.util.ArrayList<>();
    long total = 0;
    long shared = 0;
    for (TraceEntry e : entries) {
      total += e.inputLen();
      long[] ids = e.hashIds();
      boolean chained = true;
      int parent = -1;
      for (int j = 0; j < ids.length; j++) {
        int tokens = Math.max(0, Math.min(blockSize, e.inputLen() - j * blockSize));
        if (tokens == 0) {
          break;
        }
        Integer chain = chains.get(new Link(parent, ids[j]));
        if (chained && chain != null) {
          int before = held.get(chain);
          shared += Math.min(tokens, before);
          chained = before >= tokens; // a shorter block seen before: the rest of this one is new
          held.set(chain, Math.max(before, tokens));
        } else {
          chained = false;
          if (chain == null) {
            chain = held.size();
            chains.put(new Link(parent, ids[j]), chain);
            held.add(tokens);
          } else {
            held.set(chain, Math.max(held.get(chain), tokens));
          }
        }
        parent = chain;
      }
    }
    return new Implied(total, shared);
  }

  private record Link(int parent, long id) {}
}
