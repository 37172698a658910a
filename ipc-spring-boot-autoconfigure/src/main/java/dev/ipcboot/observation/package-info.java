/**
 * Micrometer observations of listener invocations and client requests, with conventions
 * that applications can replace; enabled by {@code ipc.observation.enabled}.
 */
@NullMarked
package dev.ipcboot.observation;

import org.jspecify.annotations.NullMarked;
