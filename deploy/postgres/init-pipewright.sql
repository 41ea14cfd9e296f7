-- pipewright's own database and role, next to Temporal's (created by auto-setup as the temporal user).
CREATE ROLE pipewright LOGIN PASSWORD 'pipewright';
CREATE DATABASE pipewright OWNER pipewright;
