/**
 * Auto-configuration of every facility; the only package that reads configuration
 * properties.
 */
@NullMarked
package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
