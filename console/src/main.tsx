import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { accentFrom, adoptFragmentSession, applyAccent, isEmbedded } from './session';
import './styles.css';

// Before anything renders: a portal link's token leaves the address bar at once.
adoptFragmentSession();
applyAccent(accentFrom());
if (isEmbedded()) document.documentElement.classList.add('embedded');

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
