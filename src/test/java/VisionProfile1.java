import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/**
 * Vision profile 1, one fresh noise image per request ({@code -Dllm.imageWidth}, {@code -Dllm.imageHeight},
 * {@code -Dllm.imageFormat}); run with {@code ./mvnw gatling:test -Dgatling.simulationClass=VisionProfile1}.
 */
public class VisionProfile1 extends LlmSimulation {
  public VisionProfile1() {
    super(Profile.VISION1);
  }
}
