/**
 * Session lifecycle: shutdown, sleep and lock events, logind inhibitor locks and systemd
 * notification.
 */
@NullMarked
package dev.ipcboot.session;

import org.jspecify.annotations.NullMarked;
