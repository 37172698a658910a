package dev.ipcboot.process;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;

/**
 * A process started at run time with {@link ProcessManager#start(ProcessSpec)}, as a
 * resource for health and the {@code ipc} endpoint while it runs (the manager forgets it
 * once it has finished). Nobody restarts it, so it is UP while running and OUT_OF_SERVICE
 * while it starts.
 *
 * @param run the run
 */
record AdHocProcessResource(ChildProcess run) implements IpcResource {

	@Override
	public String name() {
		return this.run.name();
	}

	@Override
	public String kind() {
		return "process";
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("pid", this.run.pid());
		details.put("restart", "ad hoc");
		return switch (this.run.state()) {
			case RUNNING -> IpcResourceState.up(details);
			case STARTING -> IpcResourceState.outOfService("starting", details);
			case NOT_RUNNING -> IpcResourceState.unknown("finished");
		};
	}

}
