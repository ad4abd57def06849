import llmbench.gatling.LlmSimulation;
import llmbench.workload.Profile;

/**
 * Vision profile 2, one fresh noise image per request ({@code -Dllm.imageWidth}, {@code -Dllm.imageHeight},
 * {@code -Dllm.imageFormat}); run with {@code ./mvnw gatling:test -Dgatling.simulationClass=VisionProfile2}.
 */
public class VisionProfile2 extends LlmSimulation {
  public VisionProfile2() {
    super(Profile.VISION2);
  }
}
