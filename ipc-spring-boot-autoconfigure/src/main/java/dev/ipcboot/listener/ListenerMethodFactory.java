package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * spring-messaging's {@link DefaultMessageHandlerMethodFactory} with the argument
 * resolver of each parameter chosen once, when the listener method is created, instead of
 * looked up (twice, in a map keyed by {@link MethodParameter}) for every parameter of
 * every message: that lookup was about a tenth of a socket server's CPU per request. The
 * resolvers, their order and what they resolve are the factory's; a parameter no resolver
 * supports fails each call as it does in spring-messaging.
 */
final class ListenerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private List<HandlerMethodArgumentResolver> resolvers = List.of();

	@Override
	public void setArgumentResolvers(List<HandlerMethodArgumentResolver> argumentResolvers) {
		super.setArgumentResolvers(argumentResolvers);
		this.resolvers = List.copyOf(argumentResolvers);
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		List<HandlerMethodArgumentResolver> all = super.initArgumentResolvers();
		this.resolvers = List.copyOf(all);
		return all;
	}

	@Override
	public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
		return new ResolvedHandlerMethod(super.createInvocableHandlerMethod(bean, method), this.resolvers);
	}

	/**
	 * An {@link InvocableHandlerMethod} whose parameters' resolvers were chosen once, and
	 * which calls the method through a {@link ListenerInvoker} where one could be
	 * generated (up to {@value ListenerInvoker#MAX_ARITY} parameters, without an argument
	 * array) and through reflection otherwise. A listener's exception propagates as
	 * spring-messaging's {@code doInvoke} lets it: unwrapped, a {@code Throwable} that is
	 * neither an {@code Exception} nor an {@code Error} wrapped in an
	 * {@code IllegalStateException}; an argument that does not fit its parameter is left
	 * to reflection, which fails as it always did.
	 */
	static final class ResolvedHandlerMethod extends InvocableHandlerMethod {

		private static final Object[] NO_ARGUMENTS = new Object[0];

		private final InvocableHandlerMethod standard;

		/** Per parameter, its source; {@code null} when one parameter has no resolver. */
		private final ArgumentSource @Nullable [] sources;

		private final @Nullable ListenerInvoker invoker;

		ResolvedHandlerMethod(InvocableHandlerMethod standard, List<HandlerMethodArgumentResolver> resolvers) {
			super(standard);
			this.standard = standard;
			MethodParameter[] parameters = getMethodParameters();
			ArgumentSource[] chosen = new ArgumentSource[parameters.length];
			DefaultParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
			for (int i = 0; i < parameters.length; i++) {
				parameters[i].initParameterNameDiscovery(names);
				HandlerMethodArgumentResolver resolver = resolverFor(parameters[i], resolvers);
				if (resolver == null) {
					chosen = null;
					break;
				}
				chosen[i] = ArgumentSource.of(parameters[i], resolver);
			}
			this.sources = chosen;
			// reflection then skips its per-call access check (spring-messaging makes
			// only non-public methods accessible); where the module system refuses, it
			// stays checked
			getBridgedMethod().trySetAccessible();
			this.invoker = (chosen != null) ? ListenerInvoker.create(getBean(), getBridgedMethod()) : null;
		}

		private static @Nullable HandlerMethodArgumentResolver resolverFor(MethodParameter parameter,
				List<HandlerMethodArgumentResolver> resolvers) {
			// the first that supports it, as HandlerMethodArgumentResolverComposite does
			for (HandlerMethodArgumentResolver resolver : resolvers) {
				if (resolver.supportsParameter(parameter)) {
					return resolver;
				}
			}
			return null;
		}

		/** Per parameter, its source; {@code null} when one parameter has no resolver. */
		ArgumentSource @Nullable [] sources() {
			return this.sources;
		}

		/** Whether calls go through a generated invoker rather than reflection. */
		boolean isGenerated() {
			return this.invoker != null;
		}

		@Override
		public @Nullable Object invoke(Message<?> message, @Nullable Object... providedArgs) throws Exception {
			if (providedArgs.length > 0) {
				return this.standard.invoke(message, providedArgs);
			}
			return invoke(message);
		}

		/**
		 * Resolve the arguments and call the method.
		 * @param message the message
		 * @return what the method returned
		 * @throws Exception what resolving or the method threw
		 */
		@Nullable Object invoke(Message<?> message) throws Exception {
			ArgumentSource[] chosen = this.sources;
			if (chosen == null) {
				// spring-messaging's own path, with its error for an unsupported
				// parameter
				return this.standard.invoke(message);
			}
			ListenerInvoker direct = this.invoker;
			if (direct == null) {
				return doInvoke(arguments(chosen, message));
			}
			switch (chosen.length) {
				case 0 -> {
					try {
						return direct.invoke();
					}
					catch (Throwable ex) {
						throw unchanged(ex, NO_ARGUMENTS);
					}
				}
				case 1 -> {
					Object first = chosen[0].resolve(message);
					if (!direct.fits(0, first)) {
						return doInvoke(first);
					}
					try {
						return direct.invoke(first);
					}
					catch (Throwable ex) {
						throw unchanged(ex, first);
					}
				}
				default -> {
					Object first = chosen[0].resolve(message);
					Object second = chosen[1].resolve(message);
					if (!direct.fits(0, first) || !direct.fits(1, second)) {
						return doInvoke(first, second);
					}
					try {
						return direct.invoke(first, second);
					}
					catch (Throwable ex) {
						throw unchanged(ex, first, second);
					}
				}
			}
		}

		/**
		 * What the listener threw, as spring-messaging's {@code doInvoke} rethrows it
		 * after reflection wrapped it.
		 */
		private Exception unchanged(Throwable ex, @Nullable Object... args) {
			if (ex instanceof Error error) {
				throw error;
			}
			if (ex instanceof Exception exception) {
				return exception;
			}
			return new IllegalStateException(formatInvokeError("Invocation failure", args), ex);
		}

		private @Nullable Object[] arguments(ArgumentSource[] chosen, Message<?> message) throws Exception {
			if (chosen.length == 0) {
				return NO_ARGUMENTS;
			}
			@Nullable Object[] arguments = new Object[chosen.length];
			for (int i = 0; i < chosen.length; i++) {
				arguments[i] = chosen[i].resolve(message);
			}
			return arguments;
		}

	}

}
