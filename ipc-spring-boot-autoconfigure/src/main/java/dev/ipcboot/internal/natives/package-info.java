/**
 * Native bindings: the only package that calls the operating system through JNA; every
 * failed call becomes an exception here, with a named
 * {@link dev.ipcboot.internal.natives.NativeCallException.Condition} where callers react
 * to it, never an error number (ADR 0015). Machinery of the facilities, not API.
 */
@NullMarked
package dev.ipcboot.internal.natives;

import org.jspecify.annotations.NullMarked;
