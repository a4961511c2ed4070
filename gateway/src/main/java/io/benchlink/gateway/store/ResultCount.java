package io.benchlink.gateway.store;

import io.benchlink.common.status.StatusKind;

/** How many test results of one kind a device had in one minute (epoch minute of the store time). */
public record ResultCount(String deviceId, StatusKind status, long epochMinute, long count) {
}
