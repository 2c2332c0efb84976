package dev.baton.devcluster.traffic;

import java.util.Optional;

/**
 * The first text message a pod's websocket server sends on every session, so a client knows which pod and which
 * version it landed on without asking the API (a real chat server would send a similar hello frame).
 * Format: {@code hello pod=<name> version=<version>}.
 */
public record Greeting(String pod, String version) {

    private static final String PREFIX = "hello ";

    public String toText() {
        return PREFIX + "pod=" + pod + " version=" + version;
    }

    /** The greeting in a text message, or empty if the message is something else. */
    public static Optional<Greeting> parse(CharSequence message) {
        String text = message.toString();
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String pod = null;
        String version = null;
        for (String field : text.substring(PREFIX.length()).split(" ")) {
            if (field.startsWith("pod=")) {
                pod = field.substring(4);
            } else if (field.startsWith("version=")) {
                version = field.substring(8);
            }
        }
        return pod == null || version == null ? Optional.empty() : Optional.of(new Greeting(pod, version));
    }
}
