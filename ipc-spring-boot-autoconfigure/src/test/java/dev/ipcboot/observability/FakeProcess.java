package dev.ipcboot.observability;

import java.util.Map;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;

/**
 * A supervised process of our own SPI whose state the test moves through running,
 * restarting and given up.
 */
class FakeProcess implements IpcResource {

	private final String name;

	private volatile IpcResourceState state;

	FakeProcess(String name) {
		this.name = name;
		running();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String kind() {
		return "process";
	}

	@Override
	public IpcResourceState state() {
		return this.state;
	}

	void running() {
		this.state = IpcResourceState.up(Map.of("pid", 4242, "restarts", 0));
	}

	void restarting() {
		this.state = IpcResourceState.outOfService("exited with code 1; restarting in 1s",
				Map.of("restarts", 1, "lastExitCode", 1));
	}

	void gaveUp() {
		this.state = IpcResourceState.down("exited with code 1 after 5 restarts; not restarted again",
				Map.of("restarts", 5, "lastExitCode", 1));
	}

}
