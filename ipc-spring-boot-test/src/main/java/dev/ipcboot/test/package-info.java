/**
 * Test support for applications of the starter: {@link dev.ipcboot.test.IpcTest} gives a
 * test class its own socket directory, unique shared-memory and semaphore keys and a
 * private bus; {@link dev.ipcboot.test.IpcTestClient} talks to any channel by name.
 */
@NullMarked
package dev.ipcboot.test;

import org.jspecify.annotations.NullMarked;
