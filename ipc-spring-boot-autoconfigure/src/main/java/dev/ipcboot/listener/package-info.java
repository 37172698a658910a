/**
 * The @IpcListener programming model: discovery of annotated methods, the endpoint
 * registry and the adapter that invokes them for every channel kind.
 */
@NullMarked
package dev.ipcboot.listener;

import org.jspecify.annotations.NullMarked;
