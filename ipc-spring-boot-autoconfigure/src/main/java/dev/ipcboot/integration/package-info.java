/**
 * Spring Integration support: channels as the sources of integration flows and clients as
 * their targets.
 */
@NullMarked
package dev.ipcboot.integration;

import org.jspecify.annotations.NullMarked;
