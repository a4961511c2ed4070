package io.benchlink.common.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Issue 14.6: the log message ({@code %safeMsg} in the shipped patterns) with every control character escaped by
 * {@link LogEscape}, so text from a peer cannot add lines to the log or send escapes to a terminal.
 */
public final class OneLineMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogEscape.escape(super.convert(event));
    }
}
