/**
 * Native bindings: the only package that calls the operating system through JNA; every
 * failed call becomes an exception here, with a named
 * {@link dev.ipcboot.natives.NativeCallException.Condition} where callers react to it,
 * never an error number (ADR 0015). Machinery of the facilities, not API.
 */
@NullMarked
package dev.ipcboot.natives;

import org.jspecify.annotations.NullMarked;
