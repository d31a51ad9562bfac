package io.promsuite.exporter.container.source;

import java.util.Map;

/**
 * What the Docker Engine says about one running container, read once when it appears: the labels
 * every series carries and the spec (limits) that does not change while it runs.
 *
 * @param id full container id
 * @param name name without the leading {@code /}
 * @param image image as the container was created with it
 * @param labels Docker labels of the container
 * @param cgroupPath cgroup path (cAdvisor's {@code id} label), e.g. {@code /docker/<id>}
 * @param pid process id of the container's init process on the host (0 when unknown)
 * @param startTimeSeconds when it was started, seconds since the epoch
 * @param memoryLimitBytes {@code HostConfig.Memory}, 0 when unlimited
 * @param cpuQuota {@code HostConfig.CpuQuota} in microseconds, 0 when unset
 * @param cpuPeriod {@code HostConfig.CpuPeriod} in microseconds, 0 when unset (the kernel uses 100000)
 * @param cpuShares {@code HostConfig.CpuShares}, 0 when unset (the kernel uses 1024)
 * @param memoryReservationBytes {@code HostConfig.MemoryReservation}, 0 when unset
 * @param memorySwapBytes memory + swap limit as the daemon sets it ({@code HostConfig.MemorySwap}; twice
 *     the memory limit when only that is set), 0 when unlimited
 * @param health the health check's status as the container list shows it (healthy, unhealthy,
 *     starting), empty when it has none
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    String cgroupPath,
    long pid,
    double startTimeSeconds,
    long memoryLimitBytes,
    long cpuQuota,
    long cpuPeriod,
    long cpuShares,
    long memoryReservationBytes,
    long memorySwapBytes,
    String health) {

  public ContainerInfo {
    labels = Map.copyOf(labels);
  }

  /** The same container with the cgroup path found on the host. */
  public ContainerInfo withCgroupPath(String path) {
    return new ContainerInfo(id, name, image, labels, path, pid, startTimeSeconds, memoryLimitBytes, cpuQuota,
        cpuPeriod, cpuShares, memoryReservationBytes, memorySwapBytes, health);
  }

  /** The same container with the health status of the latest listing. */
  public ContainerInfo withHealth(String status) {
    return status.equals(health) ? this : new ContainerInfo(id, name, image, labels, cgroupPath, pid, startTimeSeconds,
        memoryLimitBytes, cpuQuota, cpuPeriod, cpuShares, memoryReservationBytes, memorySwapBytes, status);
  }

  /**
   * The health status in a container list's Status ("Up 3 minutes (healthy)", "(health: starting)"),
   * empty when there is none.
   */
  public static String healthOf(String status) {
    if (status == null) {
      return "";
    }
    if (status.endsWith("(healthy)")) {
      return "healthy";
    }
    if (status.endsWith("(unhealthy)")) {
      return "unhealthy";
    }
    return status.endsWith("(health: starting)") ? "starting" : "";
  }
}
