package dev.baton.devcluster.traffic;

import java.time.Instant;

/**
 * One ended websocket session of one fleet client.
 *
 * @param client    the client's number
 * @param pod       the pod that greeted the session ({@code "?"} if it ended before the greeting)
 * @param version   the pod's version ({@code "?"} likewise)
 * @param opened    when the handshake completed
 * @param closed    when the client saw the end
 * @param closeCode the close code received; 1006 when there was no close frame or an error (RFC 6455 section 7.1.5)
 * @param ending    how it ended
 */
public record SessionRecord(int client, String pod, String version, Instant opened, Instant closed, int closeCode,
                            Ending ending) {

    public enum Ending {
        /** The server sent a close frame (1001 "going away" on a drain). */
        GRACEFUL,
        /** No close frame: the TCP connection ended or broke (onClose 1006 or onError). What a drain must avoid. */
        ABRUPT,
        /** The client closed it (the fleet was closed). */
        BY_CLIENT
    }
}
