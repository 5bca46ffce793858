use super::*;

impl Nigehban {
    /// Create a user. Administrators through the UI; the CLI acts as the system principal.
    pub async fn add_user(
        &self,
        by: &Principal,
        input: NewUserInput,
    ) -> Result<UserRecord, CoreError> {
        if let Principal::User(actor) = by {
            self.authorize(actor, Action::ManageUsers, "user.create", "user", None)
                .await?;
        }
        let mut errs = ValidationErrors::new();
        let username = input.username.trim().to_ascii_lowercase();
        if username.len() < 3
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errs.add("username", Problem::InvalidChars);
        }
        let display_name = input.display_name.trim().to_string();
        if display_name.is_empty() {
            errs.add("display_name", Problem::Required);
        } else if display_name.chars().count() > 120 {
            errs.add("display_name", Problem::TooLong { max: 120 });
        }
        let role = UserRole::parse(&input.role);
        if role.is_none() {
            errs.add(
                "role",
                Problem::UnknownCode {
                    value: input.role.clone(),
                },
            );
        }
        let pw_len = input.password.chars().count();
        if pw_len < auth::PASSWORD_MIN {
            errs.add(
                "password",
                Problem::TooShort {
                    min: auth::PASSWORD_MIN,
                },
            );
        } else if pw_len > auth::PASSWORD_MAX {
            errs.add(
                "password",
                Problem::TooLong {
                    max: auth::PASSWORD_MAX,
                },
            );
        }
        let unit = self.store.unit_by_code(input.unit_code.trim()).await?;
        if unit.is_none() {
            errs.add(
                "unit",
                Problem::UnknownCode {
                    value: input.unit_code.clone(),
                },
            );
        }
        let (Some(role), Some(unit)) = (role, unit) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        // Administrators manage their own agency's people only.
        if let Principal::User(admin) = by {
            if unit.agency != admin.agency {
                return Err(ValidationErrors::single(
                    "unit",
                    Problem::UnknownCode {
                        value: unit.code.clone(),
                    },
                )
                .into());
            }
        }
        let hash = auth::hash_password(&input.password)
            .map_err(|e| CoreError::Store(StoreError::Database(e)))?;
        let user = UserRecord {
            id: UserId::new(),
            username,
            display_name,
            role,
            unit_id: unit.id,
            unit_code: unit.code.clone(),
            agency: unit.agency.clone(),
            password_hash: hash,
            active: true,
            created_at: Utc::now(),
            failed_logins: 0,
            locked_until: None,
            totp_secret: None,
            totp_enabled: false,
            totp_last_step: 0,
        };
        let draft = AuditDraft::new(by, "user.create", "user", Some(user.id.to_string()))
            .detail(json!({"username": user.username, "role": role.as_str(), "unit": unit.code}));
        match self.store.insert_user(&user, draft).await {
            Ok(()) => Ok(user),
            Err(StoreError::Conflict(_)) => Err(ValidationErrors::single(
                "username",
                Problem::Duplicate {
                    value: user.username,
                },
            )
            .into()),
            Err(e) => Err(e.into()),
        }
    }

    /// Set a user's password (CLI as system; administrators later through the UI).
    pub async fn set_password(
        &self,
        by: &Principal,
        username: &str,
        password: &str,
    ) -> Result<(), CoreError> {
        if let Principal::User(actor) = by {
            self.authorize(
                actor,
                Action::ManageUsers,
                "user.set_password",
                "user",
                None,
            )
            .await?;
        }
        let n = password.chars().count();
        if n < auth::PASSWORD_MIN {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooShort {
                    min: auth::PASSWORD_MIN,
                },
            )
            .into());
        }
        if n > auth::PASSWORD_MAX {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooLong {
                    max: auth::PASSWORD_MAX,
                },
            )
            .into());
        }
        let user = self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .ok_or(CoreError::NotFound)?;
        let hash =
            auth::hash_password(password).map_err(|e| CoreError::Store(StoreError::Database(e)))?;
        let draft = AuditDraft::new(by, "user.set_password", "user", Some(user.id.to_string()));
        self.store.set_password(user.id, &hash, draft).await?;
        Ok(())
    }

    /// Check a username and password and open a session. Failures are audited.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        origin: &str,
    ) -> Result<NewSession, CoreError> {
        let username = username.trim().to_ascii_lowercase();
        let now = Utc::now();
        if self.throttled(origin, now) {
            let principal = Principal::System {
                name: "auth".into(),
                origin: origin.to_string(),
            };
            let draft = AuditDraft::new(&principal, "auth.login", "user", None)
                .detail(json!({"username": username, "throttled": true}))
                .outcome(Outcome::Denied);
            self.store.append_audit(draft).await?;
            return Err(CoreError::Unauthenticated);
        }
        let user = self.store.user_by_username(&username).await?;
        let locked = user
            .as_ref()
            .and_then(|u| u.locked_until)
            .is_some_and(|t| t > now);
        let ok = match &user {
            // A locked account is refused even with the right password, and says so no differently.
            Some(u) => !locked && u.active && auth::verify_password(password, &u.password_hash),
            None => {
                // Spend the same time as a real check, so timing does not reveal which users exist.
                let _ = auth::verify_password(password, &auth::dummy_hash());
                false
            }
        };
        let principal = Principal::System {
            name: "auth".into(),
            origin: origin.to_string(),
        };
        let mut draft = AuditDraft::new(
            &principal,
            "auth.login",
            "user",
            user.as_ref().map(|u| u.id.to_string()),
        )
        .detail(json!({"username": username, "locked": locked}));
        if let Some(u) = user.as_ref() {
            draft.actor_id = Some(u.id.to_string());
            draft.actor_name = u.username.clone();
        }
        let user = match user {
            Some(u) if ok => u,
            known => {
                self.note_failure(origin, now);
                let draft = draft.outcome(Outcome::Denied);
                self.refuse_login(known, locked, now, draft).await?;
                return Err(CoreError::Unauthenticated);
            }
        };
        if user.failed_logins > 0 || user.locked_until.is_some() {
            self.store.login_succeeded(user.id).await?;
        }
        let token = auth::random_token();
        let session = SessionRecord {
            token_hash: auth::token_hash(&token),
            user_id: user.id,
            csrf_token: auth::random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + SESSION_ABSOLUTE,
            mfa_done: !(requires_second_factor(user.role) || user.totp_enabled),
        };
        self.store.insert_session(&session).await?;
        self.store.append_audit(draft).await?;
        Ok(NewSession {
            token,
            csrf_token: session.csrf_token,
            expires_at: session.expires_at,
            second_factor: !session.mfa_done,
        })
    }

    /// Resolve a session token to the acting user, extending its idle timer. Expired sessions are removed.
    pub async fn authenticate(
        &self,
        token: &str,
        origin: &str,
    ) -> Result<(Actor, String), CoreError> {
        let hash = auth::token_hash(token);
        let session = self
            .store
            .session(&hash)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        let now = Utc::now();
        if now > session.expires_at || now - session.last_seen_at > SESSION_IDLE {
            self.store.delete_session(&hash).await?;
            return Err(CoreError::Unauthenticated);
        }
        let user = self
            .store
            .user_by_id(session.user_id)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        if !user.active {
            return Err(CoreError::Unauthenticated);
        }
        if !session.mfa_done {
            return Err(CoreError::SecondFactorRequired);
        }
        if now - session.last_seen_at > Duration::seconds(30) {
            self.store.touch_session(&hash, now).await?;
        }
        Ok((actor_of(&user, origin), session.csrf_token))
    }

    pub async fn logout(&self, token: &str) -> Result<(), CoreError> {
        self.store.delete_session(&auth::token_hash(token)).await?;
        Ok(())
    }

    /// The actor for a user acting from the command line.
    pub async fn cli_actor(&self, username: &str) -> Result<Actor, CoreError> {
        let user = self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .filter(|u| u.active)
            .ok_or(CoreError::NotFound)?;
        Ok(actor_of(&user, &crate::audit::local_origin()))
    }

    pub async fn units(&self) -> Result<Vec<Unit>, CoreError> {
        Ok(self.store.units().await?)
    }

    /// The session and user of a sign-in still waiting for its second factor.
    async fn pending_sign_in(&self, token: &str) -> Result<(SessionRecord, UserRecord), CoreError> {
        let hash = auth::token_hash(token);
        let session = self
            .store
            .session(&hash)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        if Utc::now() > session.expires_at {
            return Err(CoreError::Unauthenticated);
        }
        let user = self
            .store
            .user_by_id(session.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or(CoreError::Unauthenticated)?;
        Ok((session, user))
    }

    /// What the second-factor step must show: for a user not yet enrolled, a new secret (stored
    /// sealed, not yet in use) and its `otpauth://` URI to add to an authenticator app.
    pub async fn second_factor_setup(&self, token: &str) -> Result<SecondFactorSetup, CoreError> {
        let (_, user) = self.pending_sign_in(token).await?;
        if user.totp_enabled {
            return Ok(SecondFactorSetup {
                username: user.username,
                enrol: None,
            });
        }
        let secret = match user.totp_secret.clone() {
            Some(s) => s,
            None => {
                let s = auth::totp::new_secret();
                self.store.set_totp(user.id, Some(&s), false, None).await?;
                s
            }
        };
        let uri = auth::totp::uri(&secret, &user.username).unwrap_or_default();
        Ok(SecondFactorSetup {
            username: user.username,
            enrol: Some((secret, uri)),
        })
    }

    /// Check a TOTP code for a pending sign-in. The first right code completes enrolment; a code is
    /// accepted once only; wrong codes count towards the lockout like wrong passwords.
    pub async fn verify_second_factor(
        &self,
        token: &str,
        code: &str,
        origin: &str,
    ) -> Result<(), CoreError> {
        let (session, user) = self.pending_sign_in(token).await?;
        let principal = Principal::System {
            name: "auth".into(),
            origin: origin.to_string(),
        };
        let mut draft = AuditDraft::new(
            &principal,
            "auth.second_factor",
            "user",
            Some(user.id.to_string()),
        );
        draft.actor_id = Some(user.id.to_string());
        draft.actor_name = user.username.clone();
        let now = Utc::now();
        let unix = u64::try_from(now.timestamp()).unwrap_or(0);
        let step = user
            .totp_secret
            .as_deref()
            .and_then(|s| auth::totp::matching_step(s, code, unix));
        let fresh = match step {
            Some(st) => {
                self.store
                    .use_totp_step(user.id, i64::try_from(st).unwrap_or(i64::MAX))
                    .await?
            }
            None => false,
        };
        if !fresh {
            let lock = (user.failed_logins + 1 >= LOCKOUT_AFTER).then(|| now + LOCKOUT_FOR);
            self.store
                .login_failed(user.id, lock, draft.outcome(Outcome::Denied))
                .await?;
            return Err(CoreError::Unauthenticated);
        }
        if !user.totp_enabled {
            self.store
                .set_totp(user.id, user.totp_secret.as_deref(), true, None)
                .await?;
        }
        self.store.session_mfa_done(&session.token_hash).await?;
        self.store.login_succeeded(user.id).await?;
        self.store
            .append_audit(draft.detail(json!({"enrolled_now": !user.totp_enabled})))
            .await?;
        Ok(())
    }
}

/// The second-factor step of a sign-in.
#[derive(Debug, Clone)]
pub struct SecondFactorSetup {
    pub username: String,
    /// For a user who has not enrolled yet: the secret (base32) and its otpauth URI.
    pub enrol: Option<(String, String)>,
}

impl Nigehban {
    /// A user of the administrator's own agency, or `NotFound` (users elsewhere are not listed).
    async fn own_agency_user(
        &self,
        admin: &Actor,
        username: &str,
    ) -> Result<UserRecord, CoreError> {
        self.authorize(
            admin,
            Action::ManageUsers,
            "user.manage",
            "user",
            Some(username.to_string()),
        )
        .await?;
        match self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
        {
            Some(u) if u.agency == admin.agency => Ok(u),
            _ => Err(CoreError::NotFound),
        }
    }

    /// Users of the administrator's agency.
    pub async fn list_users(&self, admin: &Actor) -> Result<Vec<UserRecord>, CoreError> {
        self.authorize(admin, Action::ManageUsers, "user.list", "user", None)
            .await?;
        Ok(self.store.users_of_agency(&admin.agency).await?)
    }

    /// Units of the administrator's agency (where new users may be placed).
    pub async fn agency_units(&self, admin: &Actor) -> Result<Vec<Unit>, CoreError> {
        self.authorize(admin, Action::ManageUsers, "unit.list", "unit", None)
            .await?;
        Ok(self
            .store
            .units()
            .await?
            .into_iter()
            .filter(|u| u.agency == admin.agency)
            .collect())
    }

    /// Enable or disable an account; disabling ends its sessions at once.
    pub async fn set_user_active(
        &self,
        admin: &Actor,
        username: &str,
        active: bool,
    ) -> Result<(), CoreError> {
        let user = self.own_agency_user(admin, username).await?;
        if user.id == admin.user_id {
            return Err(CoreError::Forbidden("own-account"));
        }
        let draft = AuditDraft::new(
            &Principal::User(admin.clone()),
            if active {
                "user.enable"
            } else {
                "user.disable"
            },
            "user",
            Some(user.id.to_string()),
        )
        .detail(json!({"username": user.username}));
        self.store.set_user_active(user.id, active, draft).await?;
        Ok(())
    }

    /// Give a user a new temporary password (returned once, to hand over) and end their sessions.
    pub async fn reset_password(&self, admin: &Actor, username: &str) -> Result<String, CoreError> {
        let user = self.own_agency_user(admin, username).await?;
        let password = auth::generate_password();
        self.set_password(&Principal::User(admin.clone()), &user.username, &password)
            .await?;
        Ok(password)
    }

    /// Clear a user's second factor (lost phone): they enrol again at their next sign-in.
    pub async fn reset_second_factor(
        &self,
        admin: &Actor,
        username: &str,
    ) -> Result<(), CoreError> {
        let user = self.own_agency_user(admin, username).await?;
        let draft = AuditDraft::new(
            &Principal::User(admin.clone()),
            "user.reset_second_factor",
            "user",
            Some(user.id.to_string()),
        )
        .detail(json!({"username": user.username}));
        self.store
            .set_totp(user.id, None, false, Some(draft))
            .await?;
        Ok(())
    }

    /// A user changes their own password, proving the current one.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
    ) -> Result<(), CoreError> {
        let user = self
            .store
            .user_by_id(actor.user_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if !auth::verify_password(current, &user.password_hash) {
            return Err(
                ValidationErrors::single("current_password", Problem::WrongPassword).into(),
            );
        }
        if new == current {
            return Err(ValidationErrors::single(
                "password",
                Problem::Duplicate {
                    value: "****".into(),
                },
            )
            .into());
        }
        self.set_own_password(actor, new).await
    }

    async fn set_own_password(&self, actor: &Actor, new: &str) -> Result<(), CoreError> {
        let n = new.chars().count();
        if n < auth::PASSWORD_MIN {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooShort {
                    min: auth::PASSWORD_MIN,
                },
            )
            .into());
        }
        if n > auth::PASSWORD_MAX {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooLong {
                    max: auth::PASSWORD_MAX,
                },
            )
            .into());
        }
        let hash =
            auth::hash_password(new).map_err(|e| CoreError::Store(StoreError::Database(e)))?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "user.change_password",
            "user",
            Some(actor.user_id.to_string()),
        );
        self.store.set_password(actor.user_id, &hash, draft).await?;
        Ok(())
    }
}

impl Nigehban {
    /// Whether an address has failed too often lately (password spraying across accounts).
    fn throttled(&self, origin: &str, now: DateTime<Utc>) -> bool {
        let Ok(mut map) = self.throttle.lock() else {
            return false;
        };
        let recent = map.entry(origin.to_string()).or_default();
        recent.retain(|t| now - *t < THROTTLE_WINDOW);
        recent.len() >= THROTTLE_AFTER
    }

    fn note_failure(&self, origin: &str, now: DateTime<Utc>) {
        if let Ok(mut map) = self.throttle.lock() {
            // Bound the memory an attacker with many addresses can take.
            if map.len() > 100_000 {
                map.retain(|_, v| v.iter().any(|t| now - *t < THROTTLE_WINDOW));
            }
            map.entry(origin.to_string()).or_default().push(now);
        }
    }
}

/// A new unit, as typed by an administrator.
#[derive(Debug, Clone, Default)]
pub struct NewUnitInput {
    pub code: String,
    pub name_en: String,
    pub name_ur: String,
    pub district: String,
}

impl Nigehban {
    /// Add a unit to the administrator's agency. Its code starts with the agency's code (so case
    /// numbers say whose they are) and never changes once cases are numbered with it.
    pub async fn add_unit(&self, admin: &Actor, input: &NewUnitInput) -> Result<Unit, CoreError> {
        self.authorize(admin, Action::ManageUsers, "unit.create", "unit", None)
            .await?;
        let mut errs = ValidationErrors::new();
        let code = input.code.trim().to_ascii_uppercase();
        if !nigehban_domain::org::is_valid_unit_code(&code)
            || !code.starts_with(&format!("{}-", admin.agency))
        {
            errs.add(
                "code",
                Problem::UnknownCode {
                    value: code.clone(),
                },
            );
        }
        let name_en = errs.take(
            "name_en",
            nigehban_domain::error::required_text(Some(&input.name_en), 200),
        );
        let name_ur = errs.take(
            "name_ur",
            nigehban_domain::names::parse_urdu_name(&input.name_ur).map_err(|p| match p {
                Problem::TooLong { .. } => Problem::TooLong { max: 120 },
                other => other,
            }),
        );
        if self.refdata.district(input.district.trim()).is_none() {
            errs.add(
                "district",
                Problem::UnknownDistrict {
                    value: input.district.clone(),
                },
            );
        }
        let (Some(name_en), Some(name_ur)) = (name_en, name_ur) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        let unit = Unit {
            id: UnitId::new(),
            code,
            agency: admin.agency.clone(),
            name_en,
            name_ur,
            district: input.district.trim().to_string(),
        };
        let draft = AuditDraft::new(
            &Principal::User(admin.clone()),
            "unit.create",
            "unit",
            Some(unit.id.to_string()),
        )
        .detail(json!({"code": unit.code}));
        match self.store.insert_unit(&unit, draft).await {
            Ok(()) => Ok(unit),
            Err(StoreError::Conflict(_)) => Err(ValidationErrors::single(
                "code",
                Problem::Duplicate { value: unit.code },
            )
            .into()),
            Err(e) => Err(e.into()),
        }
    }
}

impl Nigehban {
    /// Record a refused sign-in: counted towards the lockout when the user exists and is not
    /// locked already (the lock then starts after too many consecutive failures).
    async fn refuse_login(
        &self,
        user: Option<UserRecord>,
        locked: bool,
        now: DateTime<Utc>,
        draft: AuditDraft,
    ) -> Result<(), CoreError> {
        match user {
            Some(u) if !locked => {
                let lock = (u.failed_logins + 1 >= LOCKOUT_AFTER).then(|| now + LOCKOUT_FOR);
                self.store.login_failed(u.id, lock, draft).await?;
            }
            _ => self.store.append_audit(draft).await?,
        }
        Ok(())
    }
}
