package io.benchlink.agent.serial;

/**
 * One serial port as {@code agent ports} shows it.
 *
 * @param vendorId USB vendor id, or -1 when the port is not a USB device
 * @param stableName the {@code /dev/serial/by-id/...} link pointing at this port on Linux, or null
 */
public record PortInfo(String name, String description, int vendorId, int productId, String serialNumber,
        String stableName) {
}
