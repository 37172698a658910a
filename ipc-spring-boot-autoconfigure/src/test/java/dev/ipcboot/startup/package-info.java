/**
 * Tests of what the starter costs an application that configures nothing, in a child JVM.
 */
@NullMarked
package dev.ipcboot.startup;

import org.jspecify.annotations.NullMarked;
