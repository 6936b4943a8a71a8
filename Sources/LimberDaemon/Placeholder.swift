enum LimberDaemonPlaceholder {}
