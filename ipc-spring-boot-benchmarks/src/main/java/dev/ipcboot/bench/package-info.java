/**
 * JMH benchmarks that pair each starter scenario with its plain JDK or native baseline.
 */
package dev.ipcboot.bench;
