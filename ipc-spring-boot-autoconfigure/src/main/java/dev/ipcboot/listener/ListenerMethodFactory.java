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
	 * An {@link InvocableHandlerMethod} whose parameters' resolvers were chosen once.
	 */
	static final class ResolvedHandlerMethod extends InvocableHandlerMethod {

		private static final Object[] NO_ARGUMENTS = new Object[0];

		private final InvocableHandlerMethod standard;

		/** Per parameter, its resolver; {@code null} when one parameter has none. */
		private final HandlerMethodArgumentResolver @Nullable [] resolved;

		ResolvedHandlerMethod(InvocableHandlerMethod standard, List<HandlerMethodArgumentResolver> resolvers) {
			super(standard);
			this.standard = standard;
			MethodParameter[] parameters = getMethodParameters();
			HandlerMethodArgumentResolver[] chosen = new HandlerMethodArgumentResolver[parameters.length];
			DefaultParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
			for (int i = 0; i < parameters.length; i++) {
				parameters[i].initParameterNameDiscovery(names);
				chosen[i] = resolverFor(parameters[i], resolvers);
				if (chosen[i] == null) {
					chosen = null;
					break;
				}
			}
			this.resolved = chosen;
			// reflection then skips its per-call access check (spring-messaging makes
			// only
			// non-public methods accessible); where the module system refuses, it stays
			// checked
			getBridgedMethod().trySetAccessible();
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

		@Override
		public @Nullable Object invoke(Message<?> message, @Nullable Object... providedArgs) throws Exception {
			HandlerMethodArgumentResolver[] chosen = this.resolved;
			if (chosen == null || providedArgs.length > 0) {
				// spring-messaging's own path, with its error for an unsupported
				// parameter
				return this.standard.invoke(message, providedArgs);
			}
			return doInvoke(arguments(chosen, message));
		}

		private @Nullable Object[] arguments(HandlerMethodArgumentResolver[] chosen, Message<?> message)
				throws Exception {
			if (chosen.length == 0) {
				return NO_ARGUMENTS;
			}
			MethodParameter[] parameters = getMethodParameters();
			@Nullable Object[] arguments = new Object[chosen.length];
			for (int i = 0; i < chosen.length; i++) {
				arguments[i] = chosen[i].resolveArgument(parameters[i], message);
			}
			return arguments;
		}

	}

}
