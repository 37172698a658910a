/**
 * Types shared by every facility of the starter: the event base class, the configuration
 * error, the thread choice and the status a resource reports (its SPI and the metrics
 * facade are in {@code dev.ipcboot.internal}).
 */
@NullMarked
package dev.ipcboot;

import org.jspecify.annotations.NullMarked;
