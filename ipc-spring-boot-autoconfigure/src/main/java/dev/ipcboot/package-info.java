/**
 * Types shared by every facility of the starter: the event base class, the configuration
 * error, the resource SPI that feeds health and the {@code ipc} endpoint, and the metrics
 * facade.
 */
@NullMarked
package dev.ipcboot;

import org.jspecify.annotations.NullMarked;
