/**
 * Types shared by every facility of the starter: the event base class and the
 * configuration error.
 */
@NullMarked
package dev.ipcboot;

import org.jspecify.annotations.NullMarked;
