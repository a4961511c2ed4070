package io.benchlink.agent.uplink;

/** Text a gateway sent, made fit for a log line. Stateless. */
final class PeerText {
    private PeerText() {
    }

    /** Peer text goes into a log line: one line, bounded. */
    static String oneLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
