/**
 * Native bindings: the only package that calls the operating system through JNA; every
 * call turns errno into an exception here.
 */
@NullMarked
package dev.ipcboot.natives;

import org.jspecify.annotations.NullMarked;
