package dev.ipcboot.process.internal;

import dev.ipcboot.process.ProcessSpec;
import dev.ipcboot.process.SupervisionPolicy;

/**
 * A process configured under {@code ipc.processes.<name>}: what to run, how to supervise
 * it, and whether to start it with the application.
 *
 * @param spec what to run
 * @param supervision when to restart
 * @param autostart whether to start it when the application starts
 */
public record ProcessDefinition(ProcessSpec spec, SupervisionPolicy supervision, boolean autostart) {

	/**
	 * Name of the process.
	 * @return the name
	 */
	public String name() {
		return this.spec.name();
	}

}
